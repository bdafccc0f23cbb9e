package dev.orderly.persistence;

import dev.orderly.core.OrderlyException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable PostgreSQL server that runs on this machine from a folder of your choosing, with no
 * installation: the zero-setup database of Orderly. The data survives restarts; the server listens
 * on 127.0.0.1 only, commits only once the WAL is flushed to disk ({@code fsync=on}, {@code
 * synchronous_commit=on}), and on start stops a server that a crashed JVM left running on the same
 * folder. Thread-safe.
 *
 * <pre>{@code
 * try (EmbeddedDatabase database = EmbeddedDatabase.start(Path.of("orderly-data"))) {
 *   DataSource dataSource = database.dataSource();
 *   // or connect to database.jdbcUrl() as database.user()
 * }
 * }</pre>
 *
 * <p>PostgreSQL refuses to run as root. As root, the server runs in a user namespace ({@code
 * unshare -U}); where those are disabled, start as an ordinary user or use an external PostgreSQL.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  /** Port 0 asks for a free port. */
  public static final int DEFAULT_PORT = 0;

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

  private static final String HOST = "127.0.0.1";
  private static final String USER = "postgres";
  private static final String PASSWORD = "";
  private static final String DATABASE = "postgres";
  private static final String PID_FILE = "postmaster.pid";
  private static final String ZONKY_LOCK_FILE = "epg-lock";
  private static final Duration ORPHAN_STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration STOP_POLL = Duration.ofMillis(10);
  private static final String ROOT_WAY_OUT =
      "Run Orderly as a non-root user, or point it at an external PostgreSQL by JDBC URL";
  private static final String ROOT_ADVICE =
      "PostgreSQL cannot be run as root (initdb: cannot be run as root), and as root the embedded"
          + " server needs user namespaces ('unshare -U'), which this machine does not allow. "
          + ROOT_WAY_OUT;

  private volatile EmbeddedPostgres postgres;
  private volatile ProcessHandle postmaster;
  private final Path dataDirectory;
  private final int port;
  private final PGSimpleDataSource dataSource;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
    this.postgres = postgres;
    this.postmaster = postmaster(dataDirectory);
    this.dataDirectory = dataDirectory;
    this.port = postgres.getPort();
    this.dataSource = new PGSimpleDataSource();
    dataSource.setServerNames(new String[] {HOST});
    dataSource.setPortNumbers(new int[] {port});
    dataSource.setDatabaseName(DATABASE);
    dataSource.setUser(USER);
  }

  /** Starts the server on {@code dataDirectory} (created when missing) on a free port. */
  public static EmbeddedDatabase start(Path dataDirectory) {
    return builder(dataDirectory).start();
  }

  /** A builder for a server on {@code dataDirectory} (created when missing). */
  public static Builder builder(Path dataDirectory) {
    return new Builder(dataDirectory);
  }

  /** {@code jdbc:postgresql://127.0.0.1:<port>/postgres}. */
  public String jdbcUrl() {
    return "jdbc:postgresql://" + HOST + ":" + port + "/" + DATABASE;
  }

  /** The superuser, {@code postgres}. */
  public String user() {
    return USER;
  }

  /** Empty: local connections are trusted, and only 127.0.0.1 is listened on. */
  public String password() {
    return PASSWORD;
  }

  public int port() {
    return port;
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  /** A plain DataSource that opens a new connection on every call; put a pool in front of it. */
  public DataSource dataSource() {
    return dataSource;
  }

  /**
   * Whether the server's process runs: false once it has exited (killed, or stopped by a PANIC such
   * as a full disk), and after {@link #close()}. A PANIC in one backend alone does not stop it: the
   * server then recovers by itself.
   */
  public boolean isRunning() {
    ProcessHandle process = postmaster;
    if (process == null) {
      // postmaster.pid could not be read just after the start: look again.
      process = postmaster(dataDirectory);
      postmaster = process;
    }
    return !closed.get() && process != null && isAlive(process);
  }

  /**
   * Starts the server again on the same folder and port after its process has exited: PostgreSQL's
   * crash recovery replays the WAL, so every committed transaction is there again, and clients that
   * connect to {@link #jdbcUrl()} reach the new server. Waits until it accepts connections.
   *
   * @throws OrderlyException when it cannot start (the port taken meanwhile, a full disk, a damaged
   *     folder); calling again tries again
   * @throws IllegalStateException after {@link #close()}, or while the server still runs
   */
  public synchronized void restart() {
    if (closed.get()) {
      throw new IllegalStateException("the embedded PostgreSQL in " + dataDirectory + " is closed");
    }
    if (isRunning()) {
      throw new IllegalStateException(
          "the embedded PostgreSQL in " + dataDirectory + " is running; close it first");
    }
    long started = System.nanoTime();
    try {
      // Releases zonky's lock on the folder. Its "pg_ctl stop" fails on the exited server, and
      // zonky logs that; it would stop a server that a failed restart left starting.
      postgres.close();
    } catch (IOException | RuntimeException e) {
      LOG.info("Could not release the previous embedded PostgreSQL cleanly: {}", e.toString());
    }
    // A start that failed after zonky took its lock keeps it until garbage collection, and a lock
    // this JVM holds makes the next attempt fail: lock a new file (a new inode) instead.
    deleteQuietly(dataDirectory.resolve(ZONKY_LOCK_FILE));
    removePidFileOfZombie(dataDirectory.resolve(PID_FILE));
    try {
      postgres = startPostgres(dataDirectory, port);
    } catch (IOException | RuntimeException e) {
      throw new OrderlyException(
          "could not restart embedded PostgreSQL in " + dataDirectory + ": " + e.getMessage(), e);
    }
    postmaster = postmaster(dataDirectory);
    LOG.info(
        "Embedded PostgreSQL restarted on {}:{} in {} ms, data in {}",
        HOST,
        port,
        millisSince(started),
        dataDirectory);
  }

  /** Stops the server cleanly (a fast shutdown with a checkpoint); does nothing the second time. */
  @Override
  public synchronized void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long started = System.nanoTime();
    try {
      postgres.close();
    } catch (IOException e) {
      throw new OrderlyException("could not stop embedded PostgreSQL in " + dataDirectory, e);
    }
    LOG.info("Embedded PostgreSQL on port {} stopped in {} ms", port, millisSince(started));
  }

  @Override
  public String toString() {
    return "EmbeddedDatabase[" + jdbcUrl() + ", " + dataDirectory + "]";
  }

  /** Options for {@link EmbeddedDatabase}; {@link #start()} starts the server. Not thread-safe. */
  public static final class Builder {

    private final Path dataDirectory;
    private int port = DEFAULT_PORT;

    private Builder(Path dataDirectory) {
      if (dataDirectory == null) {
        throw new IllegalArgumentException("dataDirectory must not be null");
      }
      this.dataDirectory = dataDirectory;
    }

    /**
     * The TCP port on 127.0.0.1; {@link EmbeddedDatabase#DEFAULT_PORT} (0, the default) picks a
     * free one.
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /** Starts the server, after stopping one that a crashed JVM left running on the folder. */
    public EmbeddedDatabase start() {
      long started = System.nanoTime();
      Path directory = prepare(dataDirectory);
      refuseRootWithoutUserNamespaces(directory);
      stopOrphanedServer(directory);
      EmbeddedPostgres postgres;
      try {
        postgres = startPostgres(directory, port);
      } catch (IOException | RuntimeException e) {
        throw new OrderlyException(
            "could not start embedded PostgreSQL in "
                + directory
                + ": "
                + e.getMessage()
                + " (PostgreSQL's own output is logged under io.zonky.test.db.postgres"
                + (isRoot() ? "; as root it runs under 'unshare -U'. " + ROOT_WAY_OUT : "")
                + ")",
            e);
      }
      EmbeddedDatabase database = new EmbeddedDatabase(postgres, directory);
      LOG.info(
          "Embedded PostgreSQL started on {}:{} in {} ms, data in {}",
          HOST,
          database.port(),
          millisSince(started),
          directory);
      return database;
    }
  }

  private static EmbeddedPostgres startPostgres(Path directory, int port) throws IOException {
    return EmbeddedPostgres.builder()
        .setDataDirectory(directory)
        // The folder is the user's data: never delete it (zonky's default does on close).
        .setCleanDataDirectory(false)
        .setPort(port)
        // zonky starts postgres with "-F" (fsync off) and synchronous_commit=off, which
        // lose acknowledged commits on a power cut. Its "-c" options follow "-F" on the
        // command line, and for settings from the same source the last one wins.
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .setServerConfig("full_page_writes", "on")
        .setServerConfig("listen_addresses", HOST)
        .start();
  }

  /** The postmaster that {@code postmaster.pid} names, as started; null when there is none. */
  private static ProcessHandle postmaster(Path directory) {
    return readPid(directory.resolve(PID_FILE)).flatMap(ProcessHandle::of).orElse(null);
  }

  /**
   * Alive, and not a zombie: an exited process stays one until its parent reaps it, and both Java
   * and PostgreSQL's own check of {@code postmaster.pid} take a zombie for a live process.
   */
  private static boolean isAlive(ProcessHandle process) {
    return process.isAlive() && !isZombie(process.pid());
  }

  private static boolean isZombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // "pid (command) state ...": the command may hold spaces and parentheses.
      int end = stat.lastIndexOf(')');
      return end >= 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z';
    } catch (IOException | RuntimeException e) {
      // Not Linux, or the process is gone: ProcessHandle has said what it knows.
      return false;
    }
  }

  /**
   * PostgreSQL refuses to start while {@code postmaster.pid} names a live process, and a killed
   * postmaster can linger as a zombie; the file of a process that has exited is safe to remove.
   */
  private static void removePidFileOfZombie(Path pidFile) {
    Optional<Long> pid = readPid(pidFile);
    if (pid.isPresent() && isZombie(pid.get())) {
      LOG.info(
          "{} names pid {}, which has exited but not been reaped; removing it", pidFile, pid.get());
      deleteQuietly(pidFile);
    }
  }

  private static Path prepare(Path dataDirectory) {
    try {
      Files.createDirectories(dataDirectory);
      // One spelling of the folder, so a postmaster's command line can be matched against it.
      return dataDirectory.toRealPath();
    } catch (IOException e) {
      throw new OrderlyException("could not create data directory " + dataDirectory, e);
    }
  }

  private static void refuseRootWithoutUserNamespaces(Path directory) {
    if (isRoot() && !LinuxUtils.isUnshareAvailable()) {
      throw new OrderlyException(
          "could not start embedded PostgreSQL in " + directory + ": " + ROOT_ADVICE);
    }
  }

  private static boolean isRoot() {
    try {
      // The owner of /proc/self is the effective user of this process (Linux only).
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * A JVM killed without a shutdown leaves its postmaster running and holding the folder; a new
   * server would then fail on {@code postmaster.pid} after a long wait. Stop that server first. A
   * pid file naming a process that is gone is left to PostgreSQL, which replaces it.
   */
  private static void stopOrphanedServer(Path directory) {
    Path pidFile = directory.resolve(PID_FILE);
    Optional<Long> pid = readPid(pidFile);
    if (pid.isEmpty()) {
      return;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      LOG.info("{} names pid {}, which has exited; PostgreSQL will replace it", pidFile, pid.get());
      return;
    }
    ProcessHandle postmaster = process.get();
    ProcessHandle.Info info = postmaster.info();
    String command = (info.command().orElse("") + " " + info.commandLine().orElse("")).trim();
    if (command.isEmpty()) {
      // A zombie, or a process this user may not inspect: PostgreSQL judges the file itself.
      LOG.info(
          "{} names pid {}, which cannot be inspected; leaving it to PostgreSQL",
          pidFile,
          pid.get());
      return;
    }
    if (!command.contains("postgres")) {
      // The pid was reused (after a reboot, say) by a process that cannot own the folder.
      LOG.info(
          "{} names pid {}, now an unrelated process ({}); removing the stale file",
          pidFile,
          pid.get(),
          command);
      deleteQuietly(pidFile);
      return;
    }
    // A postmaster's command line names its folder ("-D <folder>"); only that one is ours to stop.
    if (!command.contains(directory.toString())) {
      throw new OrderlyException(
          pidFile
              + " names pid "
              + pid.get()
              + ", a running PostgreSQL process that does not name this folder ("
              + command
              + "); stop it, or delete the file if no server uses "
              + directory);
    }
    LOG.info(
        "Stopping PostgreSQL pid {} left running on {} by a process that did not shut it down",
        pid.get(),
        directory);
    long started = System.nanoTime();
    List<ProcessHandle> backends = postmaster.descendants().toList();
    // SIGTERM: a smart shutdown that writes a checkpoint; its clients died with their JVM.
    postmaster.destroy();
    if (!awaitStop(postmaster, pidFile, ORPHAN_STOP_TIMEOUT)) {
      LOG.info(
          "PostgreSQL pid {} did not stop within {} s; killing it",
          pid.get(),
          ORPHAN_STOP_TIMEOUT.toSeconds());
      // Backends left alive would keep the shared memory attached and block the next start.
      backends.forEach(ProcessHandle::destroyForcibly);
      postmaster.destroyForcibly();
      if (!awaitStop(postmaster, pidFile, ORPHAN_STOP_TIMEOUT)) {
        throw new OrderlyException(
            "could not stop PostgreSQL pid " + pid.get() + " that holds " + directory);
      }
    }
    LOG.info("Stopped PostgreSQL pid {} in {} ms", pid.get(), millisSince(started));
  }

  /** The pid on the first line of {@code pidFile}; empty when there is no file or no number. */
  private static Optional<Long> readPid(Path pidFile) {
    try (BufferedReader reader = Files.newBufferedReader(pidFile, StandardCharsets.US_ASCII)) {
      String first = reader.readLine();
      return first == null ? Optional.empty() : Optional.of(Long.parseLong(first.trim()));
    } catch (IOException | NumberFormatException e) {
      // No file, or a torn one: PostgreSQL judges the file itself when it starts.
      return Optional.empty();
    }
  }

  /**
   * Waits until the postmaster has exited or, after a clean shutdown, has removed the pid file:
   * PostgreSQL does that last, after releasing its shared memory, and an exited process can linger
   * as a zombie until init reaps it.
   */
  private static boolean awaitStop(ProcessHandle postmaster, Path pidFile, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    CompletableFuture<ProcessHandle> exit = postmaster.onExit();
    while (postmaster.isAlive() && readPid(pidFile).equals(Optional.of(postmaster.pid()))) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      try {
        exit.get(STOP_POLL.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // Look again: the pid file may be gone while the process is still being reaped.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new OrderlyException(
            "interrupted while stopping PostgreSQL pid " + postmaster.pid(), e);
      }
    }
    return true;
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.info("Could not delete {}: {}", file, e.toString());
    }
  }

  private static long millisSince(long nanoTime) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
  }
}
