package dev.mountedsecrets;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Threads that run an operation without pause until stopped, counting what succeeded and
 * keeping every failure. Bounded: it stops by itself after a deadline.
 */
final class Load implements AutoCloseable {

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final AtomicLong successes = new AtomicLong();

	private final List<Throwable> failures = new CopyOnWriteArrayList<>();

	private final List<Thread> threads = new ArrayList<>();

	private Load(int threadCount, long maxMillis, ThrowingRunnable operation) {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
		for (int i = 0; i < threadCount; i++) {
			Thread thread = new Thread(() -> {
				while (this.running.get() && System.nanoTime() < deadline) {
					try {
						operation.run();
						this.successes.incrementAndGet();
					}
					catch (Throwable ex) {
						this.failures.add(ex);
					}
				}
			}, "load-" + i);
			thread.setDaemon(true);
			this.threads.add(thread);
			thread.start();
		}
	}

	static Load start(int threads, ThrowingRunnable operation) {
		return new Load(threads, TimeUnit.MINUTES.toMillis(2), operation);
	}

	long successes() {
		return this.successes.get();
	}

	List<Throwable> failures() {
		return this.failures;
	}

	@Override
	public void close() throws InterruptedException {
		this.running.set(false);
		for (Thread thread : this.threads) {
			thread.join(10_000);
		}
	}

	@FunctionalInterface
	interface ThrowingRunnable {

		void run() throws Exception;

	}

}
