package dev.orderly.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orderly.core.OrderlyException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    assertThat(database.password()).isEmpty();
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
