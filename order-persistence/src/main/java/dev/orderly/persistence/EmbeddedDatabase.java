package dev.orderly.persistence;

import dev.orderly.core.OrderlyException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
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
 *   // or connect to database.jdbcUrl() as database.user() with database.password()
 * }
 * }</pre>
 *
 * <p>One process owns the folder at a time: it holds a lock on {@code orderly.lock} (which names
 * its pid) until {@link #close()}, and a second start on the folder fails at once, naming that pid.
 * Connections need the password that the first start generated and keeps in {@code
 * orderly.password} (readable by the folder's owner only); {@code pg_hba.conf} allows nothing else,
 * and there is no Unix socket. PostgreSQL's own output goes to {@code postgresql.log} in the
 * folder, and a failed start quotes its last lines.
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
  private static final String DATABASE = "postgres";
  private static final String PID_FILE = "postmaster.pid";
  private static final String CONFIG_FILE = "postgresql.conf";
  private static final String HBA_FILE = "pg_hba.conf";
  private static final String PASSWORD_FILE = "orderly.password";
  private static final String ZONKY_LOCK_FILE = "epg-lock";
  private static final String LOG_FILE = "postgresql.log";
  private static final long LOG_ROTATE_BYTES = 10L * 1024 * 1024;
  private static final int LOG_LINES_IN_ERRORS = 20;
  private static final int PASSWORD_BYTES = 24;
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  /** Only password (SCRAM) connections from this machine; there is no Unix socket to allow. */
  private static final String PASSWORD_HBA =
      """
      # Written by Orderly at every start of its embedded PostgreSQL: edits here are replaced.
      # Connections need the password in orderly.password; the server creates no Unix socket.
      host all all 127.0.0.1/32 scram-sha-256
      """;

  /**
   * For one start only, to give a folder made before passwords (trusting every local connection)
   * its password: no wider than what that folder allowed until then.
   */
  private static final String UPGRADE_HBA =
      """
      # Written by Orderly for one start, to set the password of a folder that had none.
      host all postgres 127.0.0.1/32 trust
      """;

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
  private final String password;
  private final FolderLock folderLock;
  private final PGSimpleDataSource dataSource;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedDatabase(
      EmbeddedPostgres postgres, Path dataDirectory, String password, FolderLock folderLock) {
    this.postgres = postgres;
    this.postmaster = postmaster(dataDirectory);
    this.dataDirectory = dataDirectory;
    this.port = postgres.getPort();
    this.password = password;
    this.folderLock = folderLock;
    this.dataSource = dataSource(port, password);
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

  /**
   * The superuser's password: random, made at the folder's first start and kept in {@code
   * orderly.password} inside it.
   */
  public String password() {
    return password;
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
    // The same settings and password as the first start; a failure quotes PostgreSQL's log.
    postgres = startPostgres(postgresBuilder(dataDirectory, port, password), dataDirectory);
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
    } finally {
      folderLock.release();
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

    /**
     * Starts the server, after stopping one that a crashed JVM left running on the folder.
     *
     * @throws OrderlyException if another live process uses the folder (the message names its pid),
     *     or if PostgreSQL does not start (the message quotes the end of its log)
     */
    public EmbeddedDatabase start() {
      long started = System.nanoTime();
      Path directory = prepare(dataDirectory);
      // initdb needs an empty folder, so a new one is locked once initdb has filled it.
      FolderLock lock = isCluster(directory) ? FolderLock.acquire(directory) : null;
      try {
        refuseRootWithoutUserNamespaces(directory);
        if (lock == null) {
          lock = initialize(directory);
        } else {
          // Only now that this process holds the folder is a postmaster on it an orphan.
          refuseWhileAnotherJvmRunsIt(directory);
          stopOrphanedServer(directory);
          if (!Files.exists(directory.resolve(PASSWORD_FILE))) {
            setFirstPassword(directory);
          }
        }
        String password = readPassword(directory);
        writeFile(directory.resolve(HBA_FILE), PASSWORD_HBA);
        EmbeddedPostgres postgres =
            startPostgres(postgresBuilder(directory, port, password), directory);
        EmbeddedDatabase database = new EmbeddedDatabase(postgres, directory, password, lock);
        LOG.info(
            "Embedded PostgreSQL started on {}:{} in {} ms, data in {}",
            HOST,
            database.port(),
            millisSince(started),
            directory);
        return database;
      } catch (RuntimeException | Error e) {
        if (lock != null) {
          lock.release();
        }
        throw e;
      }
    }
  }

  /**
   * The zonky builder for {@code directory}: durable, on 127.0.0.1 only, no Unix socket, the output
   * of PostgreSQL (and of initdb) appended to {@code postgresql.log}.
   */
  private static EmbeddedPostgres.Builder postgresBuilder(
      Path directory, int port, String password) {
    ProcessBuilder.Redirect log = ProcessBuilder.Redirect.appendTo(logFile(directory).toFile());
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
        .setServerConfig("password_encryption", "scram-sha-256")
        // pgjdbc cannot use a Unix socket without a native library, and zonky's binaries put one
        // in /tmp: make none, so that TCP with a password is the only way in.
        .setServerConfig("unix_socket_directories", "''")
        // zonky's own readiness check logs in as the superuser, so it needs the password too.
        .setConnectConfig("password", password)
        .setOutputRedirector(log)
        .setErrorRedirector(log);
  }

  /**
   * Starts zonky's server; a failure names the folder and quotes the end of PostgreSQL's log, since
   * the library's own logging may go nowhere in an application without an SLF4J provider.
   */
  private static EmbeddedPostgres startPostgres(EmbeddedPostgres.Builder builder, Path directory) {
    Path log = logFile(directory);
    long logStart = rotateLog(log);
    try {
      return builder.start();
    } catch (IOException | RuntimeException e) {
      throw startFailure(directory, e, log, logStart);
    }
  }

  private static OrderlyException startFailure(
      Path directory, Exception cause, Path log, long logStart) {
    List<String> lines = lastLines(log, logStart, LOG_LINES_IN_ERRORS);
    StringBuilder message =
        new StringBuilder("could not start embedded PostgreSQL in ")
            .append(directory)
            .append(": ")
            .append(cause.getMessage());
    // The hint about root only where it may be the cause, or it misleads (as it did for a folder
    // that another server was using).
    if (isRoot() && (lines.isEmpty() || lines.stream().anyMatch(EmbeddedDatabase::aboutRoot))) {
      message.append(" (as root it runs under 'unshare -U'. ").append(ROOT_WAY_OUT).append(')');
    }
    if (lines.isEmpty()) {
      message.append("; PostgreSQL wrote nothing to ").append(log);
    } else {
      message.append("; the last lines of ").append(log).append(':');
      lines.forEach(line -> message.append(System.lineSeparator()).append("  ").append(line));
    }
    return new OrderlyException(message.toString(), cause);
  }

  private static boolean aboutRoot(String logLine) {
    return logLine.contains("root") || logLine.contains("unshare") || logLine.contains("namespace");
  }

  /**
   * Makes a new folder's cluster (initdb, with a new password for the superuser) and holds the
   * folder from then on. zonky's initdb starts the server too, and writes its output to a file
   * outside the folder, because initdb wants an empty one; that first server is stopped again so
   * that the lasting one writes its log inside the folder.
   */
  private static FolderLock initialize(Path directory) {
    String password = newPassword();
    AtomicReference<FolderLock> lock = new AtomicReference<>();
    Path scratch = createPrivateTempDirectory();
    try {
      Path passwordFile = scratch.resolve("pwfile");
      writeFile(passwordFile, password + "\n");
      Path initLog = scratch.resolve(LOG_FILE);
      ProcessBuilder.Redirect redirect = ProcessBuilder.Redirect.appendTo(initLog.toFile());
      EmbeddedPostgres.Builder builder =
          postgresBuilder(directory, DEFAULT_PORT, password)
              .setOutputRedirector(redirect)
              .setErrorRedirector(redirect)
              // initdb --pwfile: the superuser has its password from the first moment.
              .setLocaleConfig("pwfile", passwordFile.toString())
              .setDataDirectoryCustomizer(
                  folder -> {
                    // After initdb, before the server: nothing ran on the folder until now.
                    lock.set(FolderLock.acquire(directory));
                    writePasswordFile(directory, password);
                    writeFile(directory.resolve(HBA_FILE), PASSWORD_HBA);
                  });
      try {
        builder.start().close();
      } catch (IOException | RuntimeException e) {
        throw startFailure(directory, e, initLog, 0);
      }
      // Not after a failure: a file left in the folder would make the next initdb refuse it.
      appendQuietly(initLog, logFile(directory));
      LOG.info("Created a PostgreSQL database in {}", directory);
      return lock.get();
    } catch (RuntimeException | Error e) {
      if (lock.get() != null) {
        lock.get().release();
      }
      throw e;
    } finally {
      deleteTree(scratch);
    }
  }

  /**
   * A folder made before Orderly used passwords trusts every local connection and has no password
   * file: start it once trusting 127.0.0.1 as before, set a new password, and stop it again.
   */
  private static void setFirstPassword(Path directory) {
    LOG.info("{} has no {}: setting a password for its PostgreSQL", directory, PASSWORD_FILE);
    String password = newPassword();
    writeFile(directory.resolve(HBA_FILE), UPGRADE_HBA);
    EmbeddedPostgres postgres = startPostgres(postgresBuilder(directory, 0, ""), directory);
    try (Connection connection = dataSource(postgres.getPort(), "").getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("set password_encryption = 'scram-sha-256'");
      // Base64url: no quote can end the literal. DDL cannot take a bound parameter.
      statement.execute("alter role " + USER + " password '" + password + "'");
    } catch (SQLException e) {
      throw new OrderlyException("could not set the password of PostgreSQL in " + directory, e);
    } finally {
      try {
        postgres.close();
      } catch (IOException e) {
        LOG.info("Could not stop PostgreSQL in {} after setting its password: {}", directory, e);
      }
    }
    // Written last: a folder with the file is one whose server knows the password.
    writePasswordFile(directory, password);
  }

  private static PGSimpleDataSource dataSource(int port, String password) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setServerNames(new String[] {HOST});
    dataSource.setPortNumbers(new int[] {port});
    dataSource.setDatabaseName(DATABASE);
    dataSource.setUser(USER);
    dataSource.setPassword(password);
    return dataSource;
  }

  private static boolean isCluster(Path directory) {
    return Files.exists(directory.resolve(CONFIG_FILE));
  }

  private static String newPassword() {
    byte[] secret = new byte[PASSWORD_BYTES];
    new SecureRandom().nextBytes(secret);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  /** Writes the password file, readable by the owner only from its first byte on. */
  private static void writePasswordFile(Path directory, String password) {
    writeFile(directory.resolve(PASSWORD_FILE), password + "\n");
  }

  /** The folder's password; a password file that others may read is made private first. */
  private static String readPassword(Path directory) {
    Path file = directory.resolve(PASSWORD_FILE);
    try {
      PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
      if (posix != null && !posix.readAttributes().permissions().equals(OWNER_ONLY)) {
        LOG.info("{} could be read by other users; making it readable by its owner only", file);
        posix.setPermissions(OWNER_ONLY);
      }
      String password = Files.readString(file, StandardCharsets.US_ASCII).trim();
      if (password.isEmpty()) {
        throw new OrderlyException(file + " is empty; restore it from a backup of the folder");
      }
      return password;
    } catch (IOException e) {
      throw new OrderlyException("could not read the database password in " + file, e);
    }
  }

  /**
   * Replaces {@code file} atomically by one with {@code content}, readable and writable by the
   * owner only (PostgreSQL's own files in the folder are too).
   */
  private static void writeFile(Path file, String content) {
    Path temporary = file.resolveSibling(file.getFileName() + ".new");
    try {
      Files.deleteIfExists(temporary);
      if (Files.getFileStore(file.getParent()).supportsFileAttributeView("posix")) {
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } else {
        Files.createFile(temporary);
      }
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
        channel.force(true);
      }
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      deleteQuietly(temporary);
      throw new OrderlyException("could not write " + file, e);
    }
  }

  private static Path createPrivateTempDirectory() {
    try {
      return Files.createTempDirectory("orderly-initdb");
    } catch (IOException e) {
      throw new OrderlyException("could not create a temporary folder for initdb", e);
    }
  }

  private static void deleteTree(Path directory) {
    try (var files = Files.list(directory)) {
      files.forEach(EmbeddedDatabase::deleteQuietly);
    } catch (IOException e) {
      LOG.info("Could not list {}: {}", directory, e.toString());
    }
    deleteQuietly(directory);
  }

  private static Path logFile(Path directory) {
    return directory.resolve(LOG_FILE);
  }

  /**
   * Keeps one older log beside the current one once it passes 10 MiB; returns where this start's
   * output begins.
   */
  private static long rotateLog(Path log) {
    try {
      if (Files.size(log) > LOG_ROTATE_BYTES) {
        Files.move(log, log.resolveSibling(LOG_FILE + ".1"), StandardCopyOption.REPLACE_EXISTING);
        return 0;
      }
      return Files.size(log);
    } catch (IOException e) {
      // No log yet.
      return 0;
    }
  }

  /**
   * The last {@code count} lines of {@code log} from byte {@code from} on; none when unreadable.
   */
  private static List<String> lastLines(Path log, long from, int count) {
    try (FileChannel channel = FileChannel.open(log, StandardOpenOption.READ)) {
      long size = channel.size();
      ByteBuffer tail = ByteBuffer.allocate((int) Math.min(size - Math.min(from, size), 64 * 1024));
      channel.read(tail, size - tail.capacity());
      List<String> lines =
          new ArrayList<>(
              new String(tail.array(), 0, tail.position(), StandardCharsets.UTF_8)
                  .lines()
                  .filter(line -> !line.isBlank())
                  .toList());
      return lines.subList(Math.max(0, lines.size() - count), lines.size());
    } catch (IOException e) {
      return List.of();
    }
  }

  private static void appendQuietly(Path from, Path to) {
    try {
      if (Files.exists(from) && Files.isDirectory(to.getParent())) {
        Files.write(
            to, Files.readAllBytes(from), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
    } catch (IOException e) {
      LOG.info("Could not copy initdb's output to {}: {}", to, e.toString());
    }
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
   * zonky locks {@code epg-lock} in the folder for as long as its JVM runs the server there: a
   * server run by an Orderly from before {@code orderly.lock}, or by another program on zonky, is
   * not an orphan, whatever {@code orderly.lock} says.
   */
  private static void refuseWhileAnotherJvmRunsIt(Path directory) {
    Path file = directory.resolve(ZONKY_LOCK_FILE);
    if (!Files.exists(file)) {
      return;
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new OrderlyException(
            "the data folder "
                + directory
                + " is in use by another process (it holds "
                + ZONKY_LOCK_FILE
                + "); stop that process, or give this one another folder");
      }
      lock.release();
    } catch (OverlappingFileLockException e) {
      // A start of this JVM that failed left zonky's lock behind; no other process holds it.
    } catch (IOException e) {
      LOG.info("Could not check {}: {}; judging by {} alone", file, e.toString(), PID_FILE);
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

  /**
   * The folder's owner: an exclusive lock on {@code orderly.lock}, held until {@link #release()},
   * with the owner's pid in the file. The operating system drops the lock when the process dies, so
   * a free lock means no live process owns the folder. Thread-safe.
   */
  private static final class FolderLock {

    private static final String FILE = "orderly.lock";

    /**
     * Folders locked by this JVM. Its locks are POSIX locks, which belong to the process: closing
     * any channel on the file, even one that failed to lock it, would drop the lock, so this JVM
     * never opens the file of a folder it holds.
     */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path directory;
    private final FileChannel channel;
    private final AtomicBoolean released = new AtomicBoolean();

    private FolderLock(Path directory, FileChannel channel) {
      this.directory = directory;
      this.channel = channel;
    }

    static FolderLock acquire(Path directory) {
      if (!HELD.add(directory)) {
        throw inUse(directory, Long.toString(ProcessHandle.current().pid()) + " (this one)");
      }
      Path file = directory.resolve(FILE);
      try {
        FileChannel channel =
            FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
          FileLock lock = channel.tryLock();
          if (lock == null) {
            throw inUse(directory, owner(channel));
          }
          channel.truncate(0);
          channel.write(
              ByteBuffer.wrap(
                  (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
              0);
          return new FolderLock(directory, channel);
        } catch (IOException | RuntimeException e) {
          channel.close();
          throw e;
        }
      } catch (IOException e) {
        HELD.remove(directory);
        throw new OrderlyException("could not lock " + file, e);
      } catch (RuntimeException e) {
        HELD.remove(directory);
        throw e;
      }
    }

    /** Unlocks the folder; does nothing the second time. */
    void release() {
      if (!released.compareAndSet(false, true)) {
        return;
      }
      try {
        // Closing the channel releases the lock; the file stays, naming the last owner.
        channel.close();
      } catch (IOException e) {
        LOG.info("Could not release {}: {}", directory.resolve(FILE), e.toString());
      } finally {
        HELD.remove(directory);
      }
    }

    private static String owner(FileChannel channel) {
      try {
        ByteBuffer content = ByteBuffer.allocate(32);
        channel.read(content, 0);
        String pid = new String(content.array(), 0, content.position(), StandardCharsets.US_ASCII);
        // The owner writes its pid just after locking: an empty file is one being written.
        return pid.isBlank() ? "(pid not yet written)" : pid.trim();
      } catch (IOException e) {
        return "(pid unreadable: " + e.getMessage() + ")";
      }
    }

    private static OrderlyException inUse(Path directory, String pid) {
      return new OrderlyException(
          "the data folder "
              + directory
              + " is in use by process "
              + pid
              + " (it holds "
              + FILE
              + "); stop that process, or give this one another folder");
    }
  }
}
