package dev.orderly.core;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of order-core, checked on its compiled production classes: dependencies point
 * inward, the domain stands alone, and {@code internal} is reached only through the front door.
 */
class ArchitectureTest {

  private static final String ROOT = "dev.orderly.core";
  private static final String ORDER = "dev.orderly.core.order";
  private static final String INTERNAL = "dev.orderly.core.internal..";

  private static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);
  }

  @Test
  void importCoversEveryPackageButNoTests() {
    // Guards the rules below against passing vacuously on an empty or partial import.
    assertThat(production.contain(OrderEngine.class)).isTrue();
    assertThat(production.contain(dev.orderly.core.order.Order.class)).isTrue();
    assertThat(production.contain(dev.orderly.core.store.InMemoryOrderStore.class)).isTrue();
    assertThat(production.contain(dev.orderly.core.processing.RetryPolicy.class)).isTrue();
    assertThat(production.contain(dev.orderly.core.metrics.StatusCounts.class)).isTrue();
    assertThat(production.contain(dev.orderly.core.internal.Dispatcher.class)).isTrue();
    assertThat(production.contain(ArchitectureTest.class)).isFalse();
  }

  @Test
  void coreDependsOnlyOnTheJdkAndItself() {
    ArchRule rule =
        classes()
            .that()
            .resideInAPackage(ROOT + "..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("java..", ROOT + "..")
            .because("order-core has no runtime dependency at all");

    rule.check(production);
  }

  @Test
  void orderDomainDependsOnNoOtherCorePackage() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage(ORDER)
            .should()
            .dependOnClassesThat(
                resideInAPackage(ROOT + "..").and(resideOutsideOfPackages(ROOT, ORDER)))
            .because("the domain stands alone; it may only use the root's OrderlyException");

    rule.check(production);
  }

  @Test
  void internalIsUsedOnlyByItselfAndTheRootPackage() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage(ROOT + "..")
            .and()
            .resideOutsideOfPackages(ROOT, INTERNAL)
            .should()
            .dependOnClassesThat()
            .resideInAPackage(INTERNAL)
            .because("internal is not API and may change at any time");

    rule.check(production);
  }

  @Test
  void storeProcessingAndMetricsDoNotReachTheEngineOrClient() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAnyPackage(ROOT + ".store..", ROOT + ".processing..", ROOT + ".metrics..")
            .should()
            .dependOnClassesThat()
            .belongToAnyOf(OrderEngine.class, OrderClient.class)
            .because("dependencies point inward, toward the domain and its SPIs");

    rule.check(production);
  }
}
