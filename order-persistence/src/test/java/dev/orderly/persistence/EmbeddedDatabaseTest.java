package dev.orderly.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orderly.core.OrderlyException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseTest {

  @TempDir Path folder;

  private final List<EmbeddedDatabase> started = new ArrayList<>();

  @AfterEach
  void stopServers() {
    started.forEach(EmbeddedDatabase::close);
  }

  @Test
  void commitsAreDurableAndOnlyLoopbackIsListenedOn() throws SQLException {
    EmbeddedDatabase database = start(folder.resolve("data"));

    assertThat(show(database, "fsync")).isEqualTo("on");
    assertThat(show(database, "synchronous_commit")).isEqualTo("on");
    assertThat(show(database, "full_page_writes")).isEqualTo("on");
    assertThat(show(database, "listen_addresses")).isEqualTo("127.0.0.1");
  }

  @Test
  void dataSurvivesARestartOnTheSameFolder() throws Exception {
    Path data = folder.resolve("data");
    EmbeddedDatabase first = start(data);
    try (Connection connection = first.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("create table note (id bigint primary key, text text not null)");
      statement.execute("insert into note values (1, 'kept')");
    }
    first.close();

    EmbeddedDatabase second = start(data);

    try (Connection connection =
            DriverManager.getConnection(second.jdbcUrl(), second.user(), second.password());
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("select text from note where id = 1")) {
      assertThat(rows.next()).as("the row written before the restart").isTrue();
      assertThat(rows.getString(1)).isEqualTo("kept");
    }
    assertThat(second.dataDirectory()).isEqualTo(data.toRealPath());
  }

  @Test
  void aMissingFolderIsCreatedAndTheAccessorsDescribeTheServer() throws SQLException {
    Path data = folder.resolve("not/yet/there");

    EmbeddedDatabase database = start(data);

    assertThat(data).isDirectory();
    assertThat(database.port()).isPositive();
    assertThat(database.jdbcUrl())
        .isEqualTo("jdbc:postgresql://127.0.0.1:" + database.port() + "/postgres");
    assertThat(database.user()).isEqualTo("postgres");
    assertThat(database.password()).hasSizeGreaterThanOrEqualTo(32);
    assertThat(show(database, "port")).isEqualTo(Integer.toString(database.port()));
  }

  @Test
  void closeIsIdempotentAndStopsTheServer() {
    EmbeddedDatabase database = start(folder.resolve("data"));

    database.close();
    database.close();

    assertThat(database.dataDirectory().resolve("postmaster.pid")).doesNotExist();
    assertThatThrownBy(() -> database.dataSource().getConnection())
        .isInstanceOf(SQLException.class);
  }

  @Test
  void aPidFileOfAProcessThatHasExitedDoesNotStopTheStart() throws Exception {
    Path data = folder.resolve("data");
    start(data).close();
    Process gone = new ProcessBuilder(javaBinary(), "-version").start();
    assertThat(gone.waitFor(30, TimeUnit.SECONDS)).isTrue();
    Files.writeString(
        data.resolve("postmaster.pid"), gone.pid() + "\n" + data + "\n", StandardCharsets.US_ASCII);

    EmbeddedDatabase database = start(data);

    assertThat(show(database, "fsync")).isEqualTo("on");
  }

  @Test
  void aPidFileNamingALiveProcessThatIsNotPostgresIsRemoved() throws Exception {
    Path data = folder.resolve("data");
    start(data).close();
    long notPostgres = ProcessHandle.current().pid();
    Files.writeString(
        data.resolve("postmaster.pid"),
        notPostgres + "\n" + data + "\n",
        StandardCharsets.US_ASCII);

    EmbeddedDatabase database = start(data);

    assertThat(show(database, "fsync")).isEqualTo("on");
  }

  @Test
  void aPidFileNamingAnotherFoldersServerIsNeitherStoppedNorTrusted() throws Exception {
    Path data = folder.resolve("data");
    start(data).close();
    EmbeddedDatabase other = start(folder.resolve("other"));
    String otherPid =
        Files.readAllLines(other.dataDirectory().resolve("postmaster.pid")).get(0).trim();
    Files.writeString(
        data.resolve("postmaster.pid"), otherPid + "\n" + data + "\n", StandardCharsets.US_ASCII);

    assertThatThrownBy(() -> start(data))
        .isInstanceOf(OrderlyException.class)
        .hasMessageContaining("names pid " + otherPid)
        .hasMessageContaining("does not name this folder");
    assertThat(show(other, "fsync")).as("the other server still answers").isEqualTo("on");
  }

  @Test
  void aConnectionWithoutThePasswordOrWithAWrongOneIsRefused() throws SQLException {
    EmbeddedDatabase database = start(folder.resolve("data"));

    assertThatThrownBy(() -> connect(database, "")).isInstanceOf(SQLException.class);
    assertThatThrownBy(() -> connect(database, "wrong"))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("password authentication failed");
    try (Connection connection = connect(database, database.password());
        Statement statement = connection.createStatement();
        ResultSet rules =
            statement.executeQuery("select type, auth_method, error from pg_hba_file_rules")) {
      assertThat(rules.next()).as("a rule in pg_hba.conf").isTrue();
      do {
        assertThat(rules.getString("error")).isNull();
        assertThat(rules.getString("type")).isEqualTo("host");
        assertThat(rules.getString("auth_method")).isEqualTo("scram-sha-256");
      } while (rules.next());
    }
    assertThat(show(database, "unix_socket_directories")).as("no Unix socket").isEmpty();
  }

  @Test
  void thePasswordIsKeptInTheFolderReadableByItsOwnerOnly() throws Exception {
    Path data = folder.resolve("data");
    EmbeddedDatabase first = start(data);
    Path passwordFile = data.resolve("orderly.password");

    assertThat(Files.getPosixFilePermissions(passwordFile))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.readString(passwordFile).trim()).isEqualTo(first.password());
    first.close();

    Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-r--r--"));
    EmbeddedDatabase second = start(data);

    assertThat(second.password())
        .as("the same password after a restart")
        .isEqualTo(first.password());
    assertThat(Files.getPosixFilePermissions(passwordFile))
        .as("made private again")
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void aFolderFromBeforePasswordsGetsOneOnItsNextStart() throws Exception {
    Path data = folder.resolve("data");
    EmbeddedDatabase made = start(data);
    // What Orderly left before passwords: a superuser without one, trusted from 127.0.0.1.
    try (Connection connection = made.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("create table note (id bigint primary key)");
      statement.execute("alter role postgres password null");
    }
    made.close();
    Files.delete(data.resolve("orderly.password"));
    Files.writeString(
        data.resolve("pg_hba.conf"),
        "local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n");

    EmbeddedDatabase upgraded = start(data);

    assertThat(Files.getPosixFilePermissions(data.resolve("orderly.password")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.readString(data.resolve("pg_hba.conf"))).doesNotContain("trust");
    assertThatThrownBy(() -> connect(upgraded, "")).isInstanceOf(SQLException.class);
    try (Connection connection = connect(upgraded, upgraded.password());
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("select count(*) from note")) {
      assertThat(rows.next()).as("the data from before").isTrue();
    }
  }

  @Test
  void aSecondStartInTheSameJvmIsRefusedAndTheFirstKeepsTheFolder() throws SQLException {
    Path data = folder.resolve("data");
    EmbeddedDatabase first = start(data);

    assertThatThrownBy(() -> start(data))
        .isInstanceOf(OrderlyException.class)
        .hasMessageContaining("in use by process " + ProcessHandle.current().pid());

    assertThat(show(first, "fsync")).as("the first server still answers").isEqualTo("on");
  }

  @Test
  void aFailedStartQuotesTheEndOfPostgresqlsOwnLog() throws Exception {
    Path data = folder.resolve("data");
    start(data).close();
    Files.writeString(
        data.resolve("postgresql.conf"), "shared_buffers = banana\n", StandardOpenOption.APPEND);

    assertThatThrownBy(() -> start(data))
        .isInstanceOf(OrderlyException.class)
        .hasMessageContaining(data.toRealPath().resolve("postgresql.log").toString())
        .hasMessageContaining("invalid value for parameter \"shared_buffers\": \"banana\"")
        .hasMessageContaining("contains errors")
        .as("no hint about root where root is not the cause")
        .hasMessageNotContaining("as root");
  }

  @Test
  void aPortIsValidated() {
    assertThatThrownBy(() -> EmbeddedDatabase.builder(folder).port(70000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be between 0 and 65535, was 70000");
  }

  private EmbeddedDatabase start(Path data) {
    EmbeddedDatabase database = EmbeddedDatabase.start(data);
    started.add(database);
    return database;
  }

  private static Connection connect(EmbeddedDatabase database, String password)
      throws SQLException {
    return DriverManager.getConnection(database.jdbcUrl(), database.user(), password);
  }

  private static String show(EmbeddedDatabase database, String setting) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("show " + setting)) {
      rows.next();
      return rows.getString(1);
    }
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
