package dev.orderly.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@link Migrations#apply} leaves a current schema to one query of its history and everything else
 * to Flyway: the shortcut must agree with what Flyway itself records and judges.
 */
class MigrationsTest {

  @RegisterExtension static final TestDatabase database = new TestDatabase();

  private static final Path FOLDER =
      Path.of("src/main/resources/dev/orderly/persistence/migration");
  private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.*\\.sql");

  private DataSource dataSource;

  @BeforeEach
  void emptySchema() throws SQLException {
    database.execute("drop schema if exists " + database.schema() + " cascade");
    database.execute("create schema " + database.schema());
    TestDatabase.Server server = TestDatabase.server();
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setUrl(server.url());
    source.setUser(server.user());
    source.setPassword(server.password());
    dataSource = source;
  }

  @Test
  void theShippedMigrationsAreTheFilesWithTheChecksumsFlywayRecords() throws Exception {
    Migrations.apply(dataSource, database.schema());

    assertThat(Migrations.SHIPPED.keySet()).isEqualTo(versionsOfTheFiles());
    assertThat(history()).isEqualTo(Migrations.SHIPPED);
  }

  @Test
  void aSchemaIsCurrentOnlyOnceEveryShippedMigrationIsApplied() throws Exception {
    assertThat(Migrations.isCurrent(dataSource, database.schema())).isFalse();

    Migrations.apply(dataSource, database.schema());

    assertThat(Migrations.isCurrent(dataSource, database.schema())).isTrue();
    String latest = String.valueOf(Migrations.SHIPPED.size());
    database.execute("delete from orderly_schema_history where version = '" + latest + "'");
    assertThat(Migrations.isCurrent(dataSource, database.schema())).isFalse();
  }

  @Test
  void aNewerFailedOrEditedHistoryIsNotCurrent() throws Exception {
    Migrations.apply(dataSource, database.schema());

    database.execute("update orderly_schema_history set success = false where version = '1'");
    assertThat(Migrations.isCurrent(dataSource, database.schema())).isFalse();
    database.execute("update orderly_schema_history set success = true where version = '1'");
    assertThat(Migrations.isCurrent(dataSource, database.schema())).isTrue();

    database.execute(
        "update orderly_schema_history set checksum = checksum + 1 where version = '1'");
    assertThat(Migrations.isCurrent(dataSource, database.schema())).isFalse();
    database.execute(
        "update orderly_schema_history set checksum = checksum - 1 where version = '1'");

    database.execute(
        "insert into orderly_schema_history (installed_rank, version, description, type, script,"
            + " checksum, installed_by, execution_time, success)"
            + " values (99, '99', 'from a newer release', 'SQL', 'V99__newer.sql', 7, 'orderly', 1,"
            + " true)");
    assertThat(Migrations.isCurrent(dataSource, database.schema())).isFalse();
  }

  @Test
  void whatIsNotCurrentIsStillJudgedByFlyway() throws Exception {
    Migrations.apply(dataSource, database.schema());
    database.execute(
        "update orderly_schema_history set checksum = checksum + 1 where version = '1'");

    // Flyway's validation refuses an applied migration whose file has changed.
    assertThatThrownBy(() -> Migrations.apply(dataSource, database.schema()))
        .isInstanceOf(FlywayException.class)
        .hasMessageContaining("checksum mismatch");
  }

  @Test
  void aSchemaWithoutHistoryOrThatCannotBeReadIsNotCurrent() {
    assertThat(Migrations.isCurrent(dataSource, database.schema())).isFalse();
    assertThat(Migrations.isCurrent(dataSource, "no_such_schema")).isFalse();
    PGSimpleDataSource unreachable = new PGSimpleDataSource();
    unreachable.setUrl("jdbc:postgresql://127.0.0.1:1/none");
    assertThat(Migrations.isCurrent(unreachable, database.schema())).isFalse();
  }

  private Map<String, Integer> history() throws SQLException {
    Map<String, Integer> versions = new HashMap<>();
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "select version, checksum from orderly_schema_history where version is not null")) {
      while (rows.next()) {
        versions.put(rows.getString(1), rows.getInt(2));
      }
    }
    return versions;
  }

  private static Set<String> versionsOfTheFiles() throws IOException {
    try (Stream<Path> files = Files.list(FOLDER)) {
      return files
          .map(file -> VERSIONED.matcher(file.getFileName().toString()))
          .filter(Matcher::matches)
          .map(matcher -> matcher.group(1))
          .collect(Collectors.toSet());
    }
  }
}
