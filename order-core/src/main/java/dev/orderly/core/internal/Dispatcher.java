package dev.orderly.core.internal;

import dev.orderly.core.order.Order;
import dev.orderly.core.order.OrderId;
import dev.orderly.core.order.OrderStatus;
import dev.orderly.core.processing.PermanentFailureException;
import dev.orderly.core.processing.RetryPolicy;
import dev.orderly.core.store.ClaimedOrder;
import dev.orderly.core.store.Lease;
import dev.orderly.core.store.OrderStore;
import dev.orderly.core.store.Subscription;
import java.lang.System.Logger.Level;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Claims orders and runs them on a fixed pool of workers, renewing the leases of what runs.
 *
 * <p>Two paths feed the workers. Orders accepted on this node are handed over through an in-memory
 * queue and claimed by id at once, with no polling delay. A poll, every poll interval or sooner
 * when the store signals new orders, takes back expired leases and claims what that path did not
 * see: orders of other nodes, retries that fell due, orders the full hand-off queue had to drop.
 * The dispatcher claims at most four orders per worker beyond its free workers (or one claim batch,
 * if fewer), so the next claim overlaps the current work without hoarding leases, and none for a
 * worker whose run has lasted longer than a poll interval (see {@link #claimAheadNow}). A worker
 * hands a successful run to the completer and moves on, and its slot is free for the next claim at
 * once; the completer writes completions in batches, so neither workers nor claims wait for a
 * completion's commit and the store commits many completions at once. Thread-safe.
 */
public final class Dispatcher {

  private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());

  /**
   * Orders accepted here beyond this many waiting are left to the poll; they are durable anyway.
   */
  static final int HAND_OFF_CAPACITY = 10_000;

  /** Tells a worker to stop. */
  private static final ClaimedOrder STOP =
      ClaimedOrder.of(
          new Order(
              OrderId.of("stop"),
              "-",
              List.of("-"),
              BigDecimal.ZERO,
              OrderStatus.PROCESSING,
              1,
              Instant.EPOCH,
              Instant.EPOCH,
              null,
              null,
              null,
              null,
              "-"),
          Instant.EPOCH);

  private final EngineSettings settings;
  private final OrderStore store;
  private final RetryPolicy retryPolicy;
  private final Listeners listeners;
  private final NodeStats stats;

  /** Room for claimed orders: every worker busy, plus {@link #claimAhead} waiting for one. */
  private final Semaphore freeSlots;

  private final BlockingQueue<OrderId> handedOff = new ArrayBlockingQueue<>(HAND_OFF_CAPACITY);
  private final BlockingQueue<ClaimedOrder> ready = new LinkedBlockingQueue<>();

  /**
   * Leases of what was claimed here and has not finished. A set of leases, not a map by order: an
   * order whose lease expired mid-run may be claimed again here while the stale run goes on.
   */
  private final Set<Lease> inFlight = ConcurrentHashMap.newKeySet();

  /**
   * Leases whose outcome is being written. Not renewed: the write ends them, and a renewal racing
   * it would report a finished order's lease as lost.
   */
  private final Set<Lease> settling = ConcurrentHashMap.newKeySet();

  private final List<Thread> workers = new ArrayList<>();

  /** Successful runs whose completion the completer has yet to write. */
  private final BlockingQueue<Finished> finished = new LinkedBlockingQueue<>();

  /**
   * Room in {@link #finished}. A worker that finds none writes its completion itself: when the
   * store commits completions more slowly than workers finish runs, the workers slow down to its
   * pace instead of claiming ever more orders whose completions wait in memory.
   */
  private final Semaphore completerRoom = new Semaphore(MAX_COMPLETION_BACKLOG);

  private record Finished(Order order, Lease lease) {}

  /** Tells the completer to stop once it has written what came before. */
  private static final Finished STOP_COMPLETING = new Finished(null, null);

  /** The stored error of a failure whose exception has no message. */
  static final String UNDESCRIBED_FAILURE = "processing failed";

  /** Claimed orders that may wait for a worker, per worker: see {@link #claimAhead}. */
  static final int CLAIM_AHEAD_PER_WORKER = 4;

  /** The most completions written in one call to the store. */
  static final int MAX_COMPLETION_BATCH = 1_000;

  /** The most successful runs waiting for the completer. */
  static final int MAX_COMPLETION_BACKLOG = 4 * MAX_COMPLETION_BATCH;

  private Thread completer;
  private volatile boolean completerStopped;

  /** When the run on each busy worker began, by the engine's clock. */
  private final Map<Thread, Instant> runsStartedAt = new ConcurrentHashMap<>();

  /** Whether the run that finished last here lasted longer than a poll interval. */
  private volatile boolean lastRunLong;

  /**
   * Free slots at which a worker that frees one wakes the dispatcher: set while it waits, to what
   * it waits for. Waking it for every freed slot cost a thread switch per order, and it only claims
   * once half a batch of room is free under a backlog.
   */
  private volatile int wakeAtFreeSlots = Integer.MAX_VALUE;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition signal = lock.newCondition();
  private boolean signalled;
  private boolean pollRequested;

  private volatile boolean running;
  private volatile boolean stopping;
  private Thread dispatcherThread;
  private ScheduledExecutorService leaseRenewer;
  private Subscription subscription;

  public Dispatcher(EngineSettings settings, Listeners listeners, NodeStats stats) {
    this.settings = settings;
    this.store = settings.store();
    this.retryPolicy = settings.retryPolicy();
    this.listeners = listeners;
    this.stats = stats;
    this.freeSlots = new Semaphore(settings.workers() + claimAhead(settings));
  }

  /**
   * How many claimed orders may wait for a worker: enough that the next claim overlaps the current
   * work even when runs take less than a claim's round trip, few enough that a node with slow work
   * does not hoard orders that idle nodes could run. db-scheduler's lock-and-fetch bounds the same
   * buffer by a multiple of its threads (its own benchmark uses 4). Measured with a no-op processor
   * and 16 workers on PostgreSQL: one per worker drained 9,400 orders/s, four per worker 14,200/s.
   */
  static int claimAhead(EngineSettings settings) {
    return Math.min(CLAIM_AHEAD_PER_WORKER * settings.workers(), settings.claimBatchSize());
  }

  /**
   * How many claimed orders may wait for a worker now. The buffer pays only while runs are shorter
   * than a claim's round trip; an order claimed behind a long run waits that run out while other
   * nodes may sit idle. So a worker whose run has lasted longer than a poll interval has no orders
   * claimed ahead for it, and none are while the last run to finish here lasted that long; the
   * buffer comes back with the first short run. When every worker is on such a run, the orders
   * already waiting are given back to the store (see {@link #giveBackWaiting}).
   */
  private int claimAheadNow(int longRuns) {
    if (lastRunLong) {
      return 0;
    }
    return Math.min(claimAhead(settings), CLAIM_AHEAD_PER_WORKER * (settings.workers() - longRuns));
  }

  /** How many workers are on a run that has lasted longer than a poll interval. */
  private int longRuns(Instant now) {
    int longRuns = 0;
    for (Instant startedAt : runsStartedAt.values()) {
      if (isLong(startedAt, now)) {
        longRuns++;
      }
    }
    return longRuns;
  }

  private boolean isLong(Instant startedAt, Instant now) {
    return Duration.between(startedAt, now).compareTo(settings.pollInterval()) > 0;
  }

  public void start() {
    String node = settings.nodeId();
    ThreadFactory workerThreads = threads("orderly-worker-" + node);
    for (int i = 0; i < settings.workers(); i++) {
      Thread worker = workerThreads.newThread(this::workLoop);
      workers.add(worker);
      worker.start();
    }
    leaseRenewer =
        Executors.newSingleThreadScheduledExecutor(threads("orderly-lease-renewer-" + node));
    long renewEvery = Math.max(1, settings.leaseDuration().toMillis() / 3);
    leaseRenewer.scheduleWithFixedDelay(
        this::renewQuietly, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
    completer = threads("orderly-completer-" + node).newThread(this::completeLoop);
    completer.start();
    running = true;
    subscription = store.onOrdersAvailable(this::requestPoll);
    dispatcherThread = threads("orderly-dispatcher-" + node).newThread(this::dispatchLoop);
    dispatcherThread.start();
  }

  /** Takes an order accepted on this node straight to a worker, if the engine runs. */
  public void handOff(OrderId orderId) {
    if (running && handedOff.offer(orderId)) {
      wake(false);
    }
  }

  /** Asks for a poll of the store as soon as the hand-off queue is empty. */
  public void requestPoll() {
    wake(true);
  }

  public int inFlight() {
    return inFlight.size();
  }

  private void wake(boolean poll) {
    lock.lock();
    try {
      signalled = true;
      pollRequested |= poll;
      signal.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void dispatchLoop() {
    long pollEveryNanos = settings.pollInterval().toNanos();
    long nextPollAt = System.nanoTime();
    boolean moreDue = false;
    while (running) {
      int longRuns = longRuns(settings.clock().instant());
      if (longRuns >= settings.workers()) {
        giveBackWaiting();
      }
      int ahead = claimAheadNow(longRuns);
      // Slots of the claim-ahead buffer that may not be filled now.
      int withheld = claimAhead(settings) - ahead;
      // Under a backlog, claim only once half a batch of room is free: fewer, fuller claims.
      int worthClaiming = Math.max(1, ahead / 2);
      int free = freeSlots.availablePermits() - withheld;
      boolean timedPoll = System.nanoTime() - nextPollAt >= 0;
      if (free > 0) {
        boolean poll =
            timedPoll
                || (moreDue && free >= worthClaiming)
                || (handedOff.isEmpty() && takePollRequest());
        // Handed-off orders too wait for half a batch of room when that many wait: claimed a slot
        // at a time, a backlog of them drained at 700 orders/s instead of 14,000.
        int handed = handedOff.size();
        boolean claimHanded = handed > 0 && free >= Math.min(worthClaiming, handed);
        if (poll || claimHanded) {
          try {
            boolean more = dispatch(free, poll, timedPoll);
            if (poll) {
              moreDue = more;
            }
            if (timedPoll) {
              nextPollAt = System.nanoTime() + pollEveryNanos;
            }
            continue;
          } catch (RuntimeException e) {
            LOG.log(
                Level.WARNING,
                "could not claim orders; trying again in " + settings.pollInterval(),
                e);
            moreDue = false;
            nextPollAt = System.nanoTime() + pollEveryNanos;
            timedPoll = false;
          }
        }
      }
      // With no room for a poll that is due, any freed slot is worth waking for.
      int wanted = timedPoll || (free <= 0 && peekPollRequest()) ? 1 : Integer.MAX_VALUE;
      if (moreDue) {
        wanted = Math.min(wanted, worthClaiming);
      }
      int handed = handedOff.size();
      if (handed > 0) {
        wanted = Math.min(wanted, Math.min(worthClaiming, handed));
      }
      long waitNanos = timedPoll ? pollEveryNanos : Math.max(1, nextPollAt - System.nanoTime());
      int wakeAt = wanted == Integer.MAX_VALUE ? wanted : wanted + withheld;
      wakeAtFreeSlots = wakeAt;
      // A worker that freed the slot before it could see the new threshold did not wake us.
      if (freeSlots.availablePermits() < wakeAt) {
        awaitSignal(waitNanos);
      }
      wakeAtFreeSlots = Integer.MAX_VALUE;
    }
  }

  private boolean peekPollRequest() {
    lock.lock();
    try {
      return pollRequested;
    } finally {
      lock.unlock();
    }
  }

  private boolean takePollRequest() {
    lock.lock();
    try {
      boolean requested = pollRequested;
      pollRequested = false;
      return requested;
    } finally {
      lock.unlock();
    }
  }

  private void awaitSignal(long nanos) {
    lock.lock();
    try {
      long left = nanos;
      while (!signalled && running && left > 0) {
        left = signal.awaitNanos(left);
      }
      signalled = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * One round: claims handed-off orders, then due ones if {@code poll}, taking back expired leases
   * first if {@code reclaim}. Says whether more orders may be due.
   */
  private boolean dispatch(int free, boolean poll, boolean reclaim) {
    Instant now = settings.clock().instant();
    List<ClaimedOrder> claimed = new ArrayList<>();
    List<OrderId> ids = new ArrayList<>();
    handedOff.drainTo(ids, Math.min(free, settings.claimBatchSize()));
    if (!ids.isEmpty()) {
      claimed.addAll(store.claimByIds(ids, settings.nodeId(), now, settings.leaseDuration()));
    }
    boolean moreDue = false;
    if (poll) {
      if (reclaim) {
        store.reclaimExpired(now, retryPolicy.maxAttempts());
      }
      int wanted = Math.min(free - claimed.size(), settings.claimBatchSize());
      if (wanted > 0) {
        List<ClaimedOrder> due =
            store.claimDue(settings.nodeId(), wanted, now, settings.leaseDuration());
        moreDue = due.size() == wanted;
        claimed.addAll(due);
      }
    }
    for (ClaimedOrder order : claimed) {
      // Only this thread takes permits and it counted them before claiming: this never blocks.
      freeSlots.acquireUninterruptibly();
      inFlight.add(order.lease());
      ready.add(order);
    }
    return moreDue;
  }

  /**
   * Gives the claimed orders that wait for a worker back to the store, due at once, so that an idle
   * node takes them: every worker here is on a long run. As at shutdown, the claim counts as an
   * attempt.
   */
  private void giveBackWaiting() {
    ClaimedOrder order;
    while ((order = ready.poll()) != null) {
      inFlight.remove(order.lease());
      int released = releaseQuietly(order.lease(), settings.clock().instant());
      freeSlots.release();
      ClaimedOrder given = order;
      LOG.log(
          Level.DEBUG,
          () ->
              "order "
                  + given.order().orderId()
                  + (released > 0 ? ": given back" : ": could not be given back")
                  + " unstarted, every worker being on a long run");
    }
  }

  private void workLoop() {
    while (true) {
      ClaimedOrder next;
      try {
        next = ready.take();
      } catch (InterruptedException e) {
        return;
      }
      if (next == STOP) {
        return;
      }
      boolean handedToCompleter = false;
      Instant startedAt = settings.clock().instant();
      runsStartedAt.put(Thread.currentThread(), startedAt);
      try {
        handedToCompleter = process(next, true);
      } finally {
        runsStartedAt.remove(Thread.currentThread());
        lastRunLong = isLong(startedAt, settings.clock().instant());
        if (!handedToCompleter) {
          forget(next.lease());
        }
        // The run is over: the slot takes the next order while the completer writes this outcome.
        freeSlots.release();
        if (freeSlots.availablePermits() >= wakeAtFreeSlots) {
          wake(false);
        }
      }
    }
  }

  /** The outcome under {@code lease} is written (or given up on): it is no longer in flight. */
  private void forget(Lease lease) {
    inFlight.remove(lease);
    settling.remove(lease);
  }

  private void completeLoop() {
    List<Finished> batch = new ArrayList<>();
    boolean stop = false;
    while (!stop) {
      try {
        batch.add(finished.take());
      } catch (InterruptedException e) {
        break;
      }
      finished.drainTo(batch, MAX_COMPLETION_BATCH - 1);
      int stopAt = batch.indexOf(STOP_COMPLETING);
      if (stopAt >= 0) {
        // Nothing follows the stop but what a worker let go of late; write that too.
        batch.remove(stopAt);
        stop = true;
      }
      if (!batch.isEmpty()) {
        writeCompletions(batch);
      }
      batch.clear();
    }
    completerStopped = true;
    // A worker that finished after the stop writes its own completion; none is left behind here.
    List<Finished> late = new ArrayList<>();
    finished.drainTo(late);
    late.remove(STOP_COMPLETING);
    if (!late.isEmpty()) {
      writeCompletions(late);
    }
  }

  private void writeCompletions(List<Finished> batch) {
    List<Lease> leases = new ArrayList<>(batch.size());
    for (Finished done : batch) {
      leases.add(done.lease());
    }
    Instant now = settings.clock().instant();
    try {
      Set<Lease> completed = new HashSet<>(store.completeAll(leases, now));
      for (Finished done : batch) {
        if (completed.contains(done.lease())) {
          Order order = done.order().completed(now);
          stats.completed(order);
          listeners.completed(order);
        } else {
          leaseLost(done.lease());
        }
      }
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "could not record "
              + batch.size()
              + " completions; those orders run again once their leases expire",
          e);
    } finally {
      leases.forEach(this::forget);
      completerRoom.release(leases.size());
    }
  }

  /**
   * Runs one dispatch round in the calling thread: takes back expired leases, claims due orders up
   * to the claim batch size and processes them one after the other.
   *
   * @return how many orders were processed
   */
  public int runOnce() {
    Instant now = settings.clock().instant();
    store.reclaimExpired(now, retryPolicy.maxAttempts());
    List<ClaimedOrder> claimed =
        store.claimDue(settings.nodeId(), settings.claimBatchSize(), now, settings.leaseDuration());
    for (ClaimedOrder order : claimed) {
      inFlight.add(order.lease());
      try {
        process(order, false);
      } finally {
        forget(order.lease());
      }
    }
    return claimed.size();
  }

  /**
   * Runs the user's step for one claimed order and records the outcome under its lease, or hands a
   * success to the completer when {@code viaCompleter} and it runs.
   *
   * @return whether the completer now owns the order's outcome
   */
  private boolean process(ClaimedOrder claimed, boolean viaCompleter) {
    Order order = claimed.order();
    Lease lease = claimed.lease();
    stats.started(order);
    listeners.started(order);
    Throwable failure = null;
    try {
      settings.processor().process(order);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Exception | Error e) {
      failure = e;
    }
    if (failure instanceof InterruptedException && stopping) {
      // close() gave up waiting and released the lease; another node takes the order.
      Thread.currentThread().interrupt();
      return false;
    }
    settling.add(lease);
    if (failure == null && viaCompleter && !completerStopped && completerRoom.tryAcquire()) {
      Finished done = new Finished(order, lease);
      finished.add(done);
      // Should the completer have stopped just now without taking it, record it here instead.
      if (!completerStopped || !finished.remove(done)) {
        return true;
      }
      completerRoom.release();
    }
    try {
      Instant now = settings.clock().instant();
      if (failure == null) {
        recordCompleted(order, lease, now);
      } else {
        recordFailure(order, lease, failure, now);
      }
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "order "
              + order.orderId()
              + ": could not record the outcome of attempt "
              + lease.attempt()
              + "; it runs again once its lease expires",
          e);
    }
    if (failure instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  private void recordCompleted(Order order, Lease lease, Instant now) {
    if (store.complete(lease, now)) {
      Order completed = order.completed(now);
      stats.completed(completed);
      listeners.completed(completed);
    } else {
      leaseLost(lease);
    }
  }

  private void recordFailure(Order order, Lease lease, Throwable failure, Instant now) {
    String error = describe(failure);
    if (failure instanceof PermanentFailureException
        || !retryPolicy.allowsRetryAfter(lease.attempt())) {
      if (store.fail(lease, error, now)) {
        stats.failed();
        listeners.failed(order.failed(error, now), failure);
        LOG.log(Level.DEBUG, () -> "order " + order.orderId() + ": failed for good: " + failure);
      } else {
        leaseLost(lease);
      }
      return;
    }
    Duration delay =
        retryPolicy.delayAfter(lease.attempt(), ThreadLocalRandom.current().nextDouble());
    Instant nextAttemptAt = now.plus(delay);
    if (store.retryLater(lease, error, nextAttemptAt, now)) {
      stats.retried();
      listeners.retryScheduled(order.rescheduled(error, nextAttemptAt, now), failure);
      LOG.log(
          Level.DEBUG,
          () ->
              "order "
                  + order.orderId()
                  + ": attempt "
                  + lease.attempt()
                  + " failed, next in "
                  + delay
                  + ": "
                  + failure);
    } else {
      leaseLost(lease);
    }
  }

  /**
   * The error stored with the order, which clients read as {@code last_error}: the exception's
   * message, never its class (that goes only to the log). A wrapper whose message is just its
   * cause's {@code toString()}, as {@code new RuntimeException(cause)} makes it, gives way to its
   * cause.
   */
  static String describe(Throwable failure) {
    Throwable described = failure;
    while (described.getCause() != null
        && described.getCause() != described
        && String.valueOf(described.getCause()).equals(described.getMessage())) {
      described = described.getCause();
    }
    String message = described.getMessage();
    return message == null || message.isBlank() ? UNDESCRIBED_FAILURE : message;
  }

  private static void leaseLost(Lease lease) {
    LOG.log(
        Level.DEBUG,
        () ->
            "order "
                + lease.orderId()
                + ": lease of attempt "
                + lease.attempt()
                + " was lost before the outcome was recorded; the newer attempt decides");
  }

  /**
   * Extends the leases of every order in flight by a lease duration from now.
   *
   * @return how many leases were renewed
   */
  public int renewLeases() {
    List<Lease> leases = new ArrayList<>(inFlight);
    leases.removeAll(settling);
    if (leases.isEmpty()) {
      return 0;
    }
    List<Lease> renewed =
        store.renew(leases, settings.clock().instant().plus(settings.leaseDuration()));
    if (renewed.size() < leases.size()) {
      Set<Lease> held = new HashSet<>(renewed);
      for (Lease lease : leases) {
        if (!held.contains(lease) && inFlight.contains(lease) && !settling.contains(lease)) {
          LOG.log(
              Level.WARNING,
              "order "
                  + lease.orderId()
                  + ": lease lost while processing; another node may run it");
        }
      }
    }
    return renewed.size();
  }

  private void renewQuietly() {
    try {
      renewLeases();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "could not renew leases; trying again shortly", e);
    }
  }

  /**
   * Stops claiming, waits up to the shutdown timeout for running orders, then releases the leases
   * of those still running so that any node can take them at once.
   *
   * @return how many orders were released unfinished
   */
  public int stop() {
    stopping = true;
    running = false;
    wake(false);
    subscription.close();
    joinDispatcher();
    Instant now = settings.clock().instant();
    // Claimed but not started: give them back at once rather than make them wait for a worker.
    List<ClaimedOrder> unstarted = new ArrayList<>();
    ready.drainTo(unstarted);
    int released = 0;
    for (ClaimedOrder order : unstarted) {
      inFlight.remove(order.lease());
      released += releaseQuietly(order.lease(), now);
    }
    for (int i = 0; i < workers.size(); i++) {
      ready.add(STOP);
    }
    long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
    boolean workersDone = joinWorkers(deadline);
    finished.add(STOP_COMPLETING);
    joinCompleter(deadline);
    if (!workersDone) {
      now = settings.clock().instant();
      for (Lease lease : List.copyOf(inFlight)) {
        // A settling lease's outcome is being written; releasing it would run the order again.
        if (!settling.contains(lease)) {
          released += releaseQuietly(lease, now);
        }
      }
      workers.forEach(Thread::interrupt);
      joinWorkers(System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
    }
    leaseRenewer.shutdownNow();
    return released;
  }

  private int releaseQuietly(Lease lease, Instant now) {
    try {
      return store.release(lease, now) ? 1 : 0;
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "order " + lease.orderId() + ": could not release; it runs again once its lease expires",
          e);
      return 0;
    }
  }

  private boolean joinWorkers(long deadlineNanos) {
    for (Thread worker : workers) {
      long left = deadlineNanos - System.nanoTime();
      try {
        if (left > 0) {
          TimeUnit.NANOSECONDS.timedJoin(worker, left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      if (worker.isAlive()) {
        return false;
      }
    }
    return true;
  }

  private void joinCompleter(long deadlineNanos) {
    try {
      // The completer writes what workers finished even when they ran late: allow it a moment.
      long left = Math.max(deadlineNanos - System.nanoTime(), TimeUnit.SECONDS.toNanos(1));
      TimeUnit.NANOSECONDS.timedJoin(completer, left);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void joinDispatcher() {
    try {
      dispatcherThread.join(settings.shutdownTimeout().toMillis() + 1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
