package dev.orderly.persistence;

import dev.orderly.core.OrderlyException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

  /** {@code async}: answered on {@link #answers}, so the caller's follow-up never runs here. */
  private record Call<I, O>(I request, CompletableFuture<O> answer, boolean async) {}

  private final BlockingQueue<Call<I, O>> waiting = new LinkedBlockingQueue<>();
  private final Function<List<I>, List<O>> flush;
  private final int maxBatch;
  private final List<Thread> flushers = new ArrayList<>();
  private volatile boolean open = true;

  /**
   * Completes asynchronous calls, a batch at a time: what a caller chains on its answer (a web
   * server writing its response) must not delay the flusher's next commit.
   */
  private final ExecutorService answers;

  /**
   * @param flush writes a batch in one transaction and answers each request, in order
   */
  GroupCommitter(String name, int flushers, int maxBatch, Function<List<I>, List<O>> flush) {
    this.flush = flush;
    this.maxBatch = maxBatch;
    AtomicInteger answerThreads = new AtomicInteger();
    this.answers =
        Executors.newFixedThreadPool(
            flushers,
            runnable -> {
              Thread thread =
                  new Thread(runnable, name + "-answers-" + answerThreads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
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
    waiting.add(new Call<>(request, answer, false));
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

  /** Answers once {@code request} is committed with its batch, without holding the caller. */
  CompletableFuture<O> submitAsync(I request) {
    if (!open) {
      return CompletableFuture.failedFuture(new IllegalStateException("the store is closed"));
    }
    CompletableFuture<O> answer = new CompletableFuture<>();
    waiting.add(new Call<>(request, answer, true));
    return answer;
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
    List<Runnable> later = new ArrayList<>();
    try {
      List<O> results = flush.apply(requests);
      for (int i = 0; i < batch.size(); i++) {
        Call<I, O> call = batch.get(i);
        O result = results.get(i);
        if (call.async()) {
          later.add(() -> call.answer().complete(result));
        } else {
          call.answer().complete(result);
        }
      }
    } catch (RuntimeException | Error e) {
      LOG.log(Level.DEBUG, () -> "a batch of " + batch.size() + " failed", e);
      for (Call<I, O> call : batch) {
        if (call.async()) {
          later.add(() -> call.answer().completeExceptionally(e));
        } else {
          call.answer().completeExceptionally(e);
        }
      }
    }
    if (!later.isEmpty()) {
      try {
        answers.execute(() -> later.forEach(Runnable::run));
      } catch (RejectedExecutionException closed) {
        later.forEach(Runnable::run);
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
    answers.shutdown();
    // A call that slipped in as the flushers stopped must not wait for ever.
    List<Call<I, O>> stranded = new ArrayList<>();
    waiting.drainTo(stranded);
    for (Call<I, O> call : stranded) {
      call.answer().completeExceptionally(new IllegalStateException("the store is closed"));
    }
  }
}
