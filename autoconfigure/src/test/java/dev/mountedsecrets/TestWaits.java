package dev.mountedsecrets;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How long a test waits for something that normally happens within milliseconds (a poll, a
 * rotation, a reader thread released): {@link #LIMIT}. Then the test fails.
 * <p>
 * 10 seconds, or the value of the system property {@value #PROPERTY} in milliseconds. The
 * mutation run (the {@code mutation} profile) sets 2 seconds: a mutant that makes a test wait
 * for what never comes then fails the test, before PIT's own time limit would end the whole
 * JVM (after which PIT starts another and runs every test class of the unit again, some 10
 * seconds each time).
 */
public final class TestWaits {

	/** The system property that sets {@link #LIMIT}, in milliseconds. */
	public static final String PROPERTY = "mountedsecrets.tests.wait-millis";

	/** How long to wait before a test fails. */
	public static final Duration LIMIT = Duration.ofMillis(Long.getLong(PROPERTY, 10_000));

	private TestWaits() {
	}

	/**
	 * Wait for a latch, at most {@link #LIMIT}.
	 * @param latch the latch
	 */
	public static void await(CountDownLatch latch) throws InterruptedException {
		assertThat(latch.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS)).as("counted down within %s", LIMIT).isTrue();
	}

	/**
	 * Wait for a thread to end, at most {@link #LIMIT}.
	 * @param thread the thread
	 */
	public static void join(Thread thread) throws InterruptedException {
		thread.join(LIMIT.toMillis());
		assertThat(thread.isAlive()).as("%s ended within %s", thread.getName(), LIMIT).isFalse();
	}

}
