package dev.orderly.persistence;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The child JVM of {@link EmbeddedDatabaseLockTest}: starts an embedded database on the folder in
 * {@code args[0]}, prints {@code ready <jdbc url>}, and holds it until its standard input ends.
 * With {@code --zonky-lock-only <folder>} it only locks the folder's {@code epg-lock} as the
 * embedded PostgreSQL library does for its server's life, which is all that an Orderly from before
 * {@code orderly.lock} held.
 */
public final class EmbeddedDatabaseHolderChild {

  static final String READY = "ready ";

  private EmbeddedDatabaseHolderChild() {}

  public static void main(String[] args) throws IOException {
    if (args[0].equals("--zonky-lock-only")) {
      try (FileChannel channel =
              FileChannel.open(
                  Path.of(args[1], "epg-lock"),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE);
          FileLock lock = channel.lock()) {
        holdUntilInputEnds(READY + lock.isValid());
      }
      return;
    }
    try (EmbeddedDatabase database = EmbeddedDatabase.start(Path.of(args[0]))) {
      holdUntilInputEnds(READY + database.jdbcUrl());
    }
  }

  private static void holdUntilInputEnds(String readyLine) throws IOException {
    System.out.println(readyLine);
    System.out.flush();
    while (System.in.read() != -1) {
      // Held until the parent closes the pipe, or dies.
    }
  }
}
