package dev.orderly.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructor;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules of order-api, checked on its compiled production classes: a small public surface, and
 * no reach into the core's internals, the persistence module or a server.
 */
class ArchitectureTest {

  private static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.orderly.api");
  }

  @Test
  void importHoldsTheApplicationButNoTests() {
    assertThat(production.contain(OrderlyApplication.class)).isTrue();
    assertThat(production.contain(OrderResource.class)).isTrue();
    assertThat(production.contain(ArchitectureTest.class)).isFalse();
  }

  @Test
  void onlyTheApplicationTheCreateTheHttpProblemAndTheResourcesArePublic() {
    // Jersey can invoke resource methods only on public classes; their constructors stay
    // package-private, so the application remains the one way to build them. OrderCreation (and
    // its Answer) serves a server's fast path for POST /orders; HttpProblem its HTTP layer's own
    // refusals.
    classes()
        .that()
        .arePublic()
        .should()
        .haveFullyQualifiedName(OrderlyApplication.class.getName())
        .orShould()
        .haveFullyQualifiedName(OrderCreation.class.getName())
        .orShould()
        .haveFullyQualifiedName(OrderCreation.Answer.class.getName())
        .orShould()
        .haveFullyQualifiedName(HttpProblem.class.getName())
        .orShould()
        .haveSimpleNameEndingWith("Resource")
        .check(production);
    classes()
        .that()
        .haveSimpleNameEndingWith("Resource")
        .should(haveNoPublicConstructor())
        .check(production);
  }

  private static ArchCondition<JavaClass> haveNoPublicConstructor() {
    return new ArchCondition<>("have no public constructor") {
      @Override
      public void check(JavaClass type, ConditionEvents events) {
        for (JavaConstructor constructor : type.getConstructors()) {
          if (constructor.getModifiers().contains(JavaModifier.PUBLIC)) {
            events.add(
                SimpleConditionEvent.violated(
                    constructor, constructor.getFullName() + " is public"));
          }
        }
      }
    };
  }

  @Test
  void theApiReachesNeitherCoreInternalsNorPersistenceNorAServer() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.orderly.core.internal..",
            "dev.orderly.persistence..",
            "dev.orderly.server..",
            "org.glassfish.grizzly..",
            "org.glassfish.jersey.grizzly2..")
        .because("order-api is the HTTP surface over the core; stores and servers are wired above")
        .check(production);
  }
}
