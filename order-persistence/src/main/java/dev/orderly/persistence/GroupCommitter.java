package dev.orderly.persistence;

import dev.orderly.core.OrderlyException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Lets concurrent callers share one transaction: each call waits in a queue, a flusher takes all
 * that waits (up to a batch size), writes them with one statement and one commit, and then answers
 * every caller with its own result. A caller returns only after its commit, so what it is told is
 * durable. No artificial delay: calls that arrive while a commit runs form the next batch, which is
 * how a busy store batches and an idle one answers at once. Thread-safe.
 *
 * @param <I> what a caller asks
 * @param <O> what it is answered
 */
final class GroupCommitter<I, O> implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(GroupCommitter.class.getName());

  private record Call<I, O>(I request, CompletableFuture<O> answer) {}

  private final BlockingQueue<Call<I, O>> waiting = new LinkedBlockingQueue<>();
  private final Function<List<I>, List<O>> flush;
  private final int maxBatch;
  private final List<Thread> flushers = new ArrayList<>();
  private volatile boolean open = true;

  /**
   * @param flush writes a batch in one transaction and answers each request, in order
   */
  GroupCommitter(String name, int flushers, int maxBatch, Function<List<I>, List<O>> flush) {
    this.flush = flush;
    this.maxBatch = maxBatch;
    for (int i = 1; i <= flushers; i++) {
      Thread thread = new Thread(this::flushLoop, name + "-" + i);
      thread.setDaemon(true);
      thread.start();
      this.flushers.add(thread);
    }
  }

  /** Waits until {@code request} is committed with its batch, and answers it. */
  O submit(I request) {
    if (!open) {
      throw new IllegalStateException("the store is closed");
    }
    CompletableFuture<O> answer = new CompletableFuture<>();
    waiting.add(new Call<>(request, answer));
    try {
      return answer.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OrderlyException("interrupted while waiting for a commit", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw new OrderlyException("commit failed", e.getCause());
    }
  }

  private void flushLoop() {
    List<Call<I, O>> batch = new ArrayList<>(maxBatch);
    while (open || !waiting.isEmpty()) {
      Call<I, O> first;
      try {
        // A bounded wait, so that close() is seen without interrupting a flush mid-statement.
        first = waiting.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (first == null) {
        continue;
      }
      batch.add(first);
      waiting.drainTo(batch, maxBatch - 1);
      answer(batch);
      batch.clear();
    }
  }

  private void answer(List<Call<I, O>> batch) {
    List<I> requests = new ArrayList<>(batch.size());
    for (Call<I, O> call : batch) {
      requests.add(call.request());
    }
    try {
      List<O> results = flush.apply(requests);
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).answer().complete(results.get(i));
      }
    } catch (RuntimeException | Error e) {
      LOG.log(Level.DEBUG, () -> "a batch of " + batch.size() + " failed", e);
      for (Call<I, O> call : batch) {
        call.answer().completeExceptionally(e);
      }
    }
  }

  /** Answers what waits, then stops the flushers. */
  @Override
  public void close() {
    open = false;
    for (Thread flusher : flushers) {
      try {
        flusher.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    // A call that slipped in as the flushers stopped must not wait for ever.
    List<Call<I, O>> stranded = new ArrayList<>();
    waiting.drainTo(stranded);
    for (Call<I, O> call : stranded) {
      call.answer().completeExceptionally(new IllegalStateException("the store is closed"));
    }
  }
}
