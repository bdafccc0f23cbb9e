package dev.orderly.server;

import org.glassfish.grizzly.ThreadCache;
import org.glassfish.grizzly.http.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Larger per-thread caches for Grizzly's request objects. Grizzly reuses a request's objects
 * through a cache in each thread that holds 16 of each kind. A create suspends while its commit
 * runs, so at 1,000 connections about 1,000 requests are in flight at once, and nearly every one
 * was built anew: a JFR allocation profile put 75 % of the server's allocation in the buffers of
 * new {@code Request} objects (their parameter parser) and new request packets (their header
 * fields). Grizzly sizes a cache when a class first asks for its index, and the first size asked
 * for under a name is kept; asking first, with a larger size, gives the larger cache.
 */
final class GrizzlyObjectCaches {

  /** Request objects kept per thread; about the connections in flight over the HTTP threads. */
  static final int PER_THREAD = 256;

  private static final Logger LOG = LoggerFactory.getLogger(GrizzlyObjectCaches.class);

  /** The Grizzly classes built once per request whose caches overflow under many connections. */
  private static final String[] CACHED_PER_REQUEST = {
    Request.class.getName(), "org.glassfish.grizzly.http.HttpServerFilter$ServerHttpRequestImpl"
  };

  private GrizzlyObjectCaches() {}

  /**
   * Asks for the larger caches; must run before Grizzly serves its first request in this JVM, and
   * does nothing after that.
   */
  static synchronized void enlarge() {
    for (String name : CACHED_PER_REQUEST) {
      try {
        // Loaded, not initialised: initialising the class would take its index with size 16.
        Class<?> type = Class.forName(name, false, GrizzlyObjectCaches.class.getClassLoader());
        int size = ThreadCache.obtainIndex(name, type, PER_THREAD).getSize();
        if (size < PER_THREAD) {
          LOG.debug("Grizzly's per-thread cache of {} was sized before: {} objects", name, size);
        }
      } catch (ClassNotFoundException e) {
        // Another Grizzly version: its own cache sizes stand.
        LOG.debug("no Grizzly class {} to cache", name);
      }
    }
  }
}
