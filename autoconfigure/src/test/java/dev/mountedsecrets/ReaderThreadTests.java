package dev.mountedsecrets;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reader thread taken before its work is known runs the work handed to it (once), goes
 * back to its pool when closed without work, and never drops handed work, even when
 * interrupted while it waits.
 */
class ReaderThreadTests {

	private final ExecutorService pool = Executors.newCachedThreadPool();

	@AfterEach
	void stopPool() {
		this.pool.shutdownNow();
	}

	@Test
	@MustNotHang
	void runRunsTheWorkOnTheThreadTakenBefore() throws Exception {
		AtomicReference<Thread> ranOn = new AtomicReference<>();
		try (ReaderThread thread = new ReaderThread(this.pool)) {
			Future<?> future = thread.run(() -> ranOn.set(Thread.currentThread()));
			future.get();
			assertThat(future.isDone()).isTrue();
		}
		assertThat(ranOn.get()).isNotNull().isNotSameAs(Thread.currentThread());
	}

	@Test
	@MustNotHang
	void runAfterTheThreadHasParkedWakesIt() throws Exception {
		CountDownLatch ran = new CountDownLatch(1);
		try (ReaderThread thread = new ReaderThread(this.pool)) {
			// Longer than the spin: the thread is parked when the work comes.
			Thread.sleep(ReaderThread.SPIN.toMillis() * 20);
			thread.run(ran::countDown).get();
		}
		assertThat(ran.getCount()).isZero();
	}

	@Test
	@MustNotHang
	void closeWithoutWorkLetsTheThreadGo() throws Exception {
		ReaderThread thread = new ReaderThread(this.pool);
		thread.close();
		this.pool.shutdown();
		assertThat(this.pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
	}

	@Test
	@MustNotHang
	void closeAfterRunKeepsTheWork() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		AtomicBoolean finished = new AtomicBoolean();
		Future<?> future;
		try (ReaderThread thread = new ReaderThread(this.pool)) {
			future = thread.run(() -> {
				awaitQuietly(release);
				finished.set(true);
			});
		}
		release.countDown();
		future.get();
		assertThat(finished).isTrue();
	}

	@Test
	@MustNotHang
	void interruptWhileWaitingStillRunsTheWorkAndKeepsTheInterrupt() throws Exception {
		AtomicReference<Thread> waiting = new AtomicReference<>();
		ExecutorService recording = Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task);
			waiting.set(thread);
			return thread;
		});
		try {
			AtomicBoolean interruptedInWork = new AtomicBoolean();
			try (ReaderThread thread = new ReaderThread(recording)) {
				// Parked: past the spin, inside the wait (a new pool thread runs its task at once).
				while (waiting.get() == null || waiting.get().getState() != Thread.State.TIMED_WAITING) {
					Thread.sleep(1);
				}
				waiting.get().interrupt();
				thread.run(() -> interruptedInWork.set(Thread.currentThread().isInterrupted())).get();
			}
			assertThat(interruptedInWork).isTrue();
		}
		finally {
			recording.shutdownNow();
		}
	}

	@Test
	@MustNotHang
	void spinWhileRunningReturnsOnceTheTaskIsDone() throws Exception {
		Future<?> done = this.pool.submit(() -> {
		});
		done.get();
		ReaderThread.spinWhileRunning(done, System.nanoTime());
		CountDownLatch never = new CountDownLatch(1);
		Future<?> running = this.pool.submit(() -> awaitQuietly(never));
		ReaderThread.spinWhileRunning(running, System.nanoTime() - Duration.ofSeconds(1).toNanos());
		assertThat(running.isDone()).isFalse();
		never.countDown();
	}

	@Test
	void streamedGivesTheFirstThreadEveryFileOfASmallFolder() {
		assertThat(ReaderThread.streamed(0)).isZero();
		assertThat(ReaderThread.streamed(1)).isEqualTo(1);
		assertThat(ReaderThread.streamed(ReaderThread.SPLIT_FROM - 1)).isEqualTo(ReaderThread.SPLIT_FROM - 1);
	}

	@Test
	void streamedGivesTheFirstThreadSevenTenthsOfALargeFolderWithTwoProcessors() {
		boolean twoThreads = Runtime.getRuntime().availableProcessors() > 1;
		assertThat(ReaderThread.streamed(ReaderThread.SPLIT_FROM))
			.isEqualTo(twoThreads ? ReaderThread.SPLIT_FROM * 7 / 10 : ReaderThread.SPLIT_FROM);
		assertThat(ReaderThread.streamed(1000)).isEqualTo(twoThreads ? 700 : 1000);
	}

	@Test
	@MustNotHang
	void waitUntilReturnsOnceTheConditionHoldsAndKeepsAnInterrupt() throws Exception {
		AtomicBoolean ready = new AtomicBoolean();
		AtomicReference<Thread> parked = new AtomicReference<>();
		AtomicBoolean interruptKept = new AtomicBoolean();
		Thread waiter = new Thread(() -> {
			ReaderThread.waitUntil(ready::get, parked::set);
			interruptKept.set(Thread.currentThread().isInterrupted());
		});
		waiter.start();
		while (waiter.getState() != Thread.State.TIMED_WAITING) {
			Thread.sleep(1);
		}
		waiter.interrupt();
		Thread.sleep(ReaderThread.SPIN.toMillis() * 20);
		assertThat(waiter.isAlive()).as("still waiting: interrupts do not end the wait").isTrue();
		ready.set(true);
		ReaderThread.wake(parked.get());
		waiter.join();
		assertThat(interruptKept).isTrue();
		assertThat(parked.get()).as("no longer parked").isNull();
	}

	@Test
	void wakeWithNoThreadParkedDoesNothing() {
		ReaderThread.wake(null);
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
