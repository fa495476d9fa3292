package dev.mountedsecrets;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

import dev.mountedsecrets.actuate.SecretsHealthIndicator;

import org.springframework.boot.health.contributor.Health;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.util.unit.DataSize;

/**
 * The FIFO swap race of a reload, played out: a checked regular file is swapped for a FIFO,
 * the reader blocks in {@code open()} of it, and then, while it is blocked, the file system
 * moves on ({@link Next}). What is left afterwards: stuck reads, reader threads in
 * {@code open()}, releaser threads. Run in the test JVM by {@code StuckFifoReadTests}, and as
 * {@link #main} in a forked JVM, with and without {@code sun.nio.ch} exported.
 */
public final class StuckFifoRace {

	/** What happens to the FIFO while a reader is blocked opening it. */
	enum Next {

		/** Renamed to another name in the same folder; a regular file takes its path. */
		RENAMED_INSIDE,

		/** Renamed into another folder; a regular file takes its path. */
		RENAMED_OUT,

		/** Unlinked; a regular file takes its path. */
		UNLINKED,

		/** Unlinked; nothing takes its path. */
		UNLINKED_NOTHING_BACK

	}

	/**
	 * What the race left.
	 *
	 * @param outcome the message the read failed with
	 * @param stuckReads {@link SecretFileReader#abandonedReads()} at the end
	 * @param readersInOpen reader threads still inside {@code open()}
	 * @param releasers releaser threads still alive
	 */
	record Left(String outcome, int stuckReads, long readersInOpen, long releasers) {

		boolean nothing() {
			return this.stuckReads == 0 && this.readersInOpen == 0 && this.releasers == 0;
		}

	}

	private StuckFifoRace() {
	}

	/**
	 * Play the race, then wait (at most {@code settle}) for every read and thread to end.
	 * @param dir an empty folder
	 * @param next what the file system does while the reader is blocked
	 * @param settle how long to wait for nothing to be left
	 * @return what is left
	 */
	static Left run(Path dir, Next next, Duration settle) throws Exception {
		Path file = Files.writeString(dir.resolve("redis_password"), "Fifo-Race-Value-7f3a");
		FileFacts checked = SecretFileReader.attributes(file, LinkOption.NOFOLLOW_LINKS);
		Files.delete(file);
		mkfifo(file);
		// Not released early: this is the case the early release missed (the FIFO left the
		// path within its first milliseconds).
		SecretFileReader reader = new SecretFileReader(DataSize.ofKilobytes(64), Duration.ofMillis(300), false);
		AtomicReference<String> outcome = new AtomicReference<>();
		Thread caller = new Thread(() -> {
			try {
				reader.read("redis_password", file, file, checked);
				outcome.set("read");
			}
			catch (UnusableSecretFileException ex) {
				outcome.set(ex.getMessage());
			}
		}, "stuck-fifo-race-caller");
		caller.setDaemon(true);
		caller.start();
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		// In open() for two looks 20 ms apart: a thread seen in the Java frame of open() may not
		// have reached the system call yet, and a FIFO that leaves the path before then is
		// simply not found ("disappeared"), which is not the race this plays.
		int seen = 0;
		while (seen < 2 && caller.isAlive() && System.nanoTime() < deadline) {
			seen = (readersInOpen() > 0) ? seen + 1 : 0;
			Thread.sleep((seen > 0) ? 20 : 1);
		}
		switch (next) {
			case RENAMED_INSIDE -> Files.move(file, dir.resolve("elsewhere"), StandardCopyOption.ATOMIC_MOVE);
			case RENAMED_OUT -> Files.move(file, Files.createTempDirectory("stuck-fifo-out").resolve("elsewhere"));
			case UNLINKED, UNLINKED_NOTHING_BACK -> Files.delete(file);
		}
		if (next != Next.UNLINKED_NOTHING_BACK) {
			Files.writeString(file, "Fifo-Race-Other-9c01");
		}
		caller.join(Duration.ofSeconds(10).toMillis());
		long settled = System.nanoTime() + settle.toNanos();
		Left left = left(outcome.get());
		while (!left.nothing() && System.nanoTime() < settled) {
			Thread.sleep(10);
			left = left(outcome.get());
		}
		return left;
	}

	private static Left left(String outcome) {
		long releasers = Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().equals("secrets-fifo-release") && thread.isAlive())
			.count();
		return new Left(outcome, SecretFileReader.abandonedReads(), readersInOpen(), releasers);
	}

	/** Reader threads inside a native {@code open()} (of the FIFO: nothing else blocks here). */
	static long readersInOpen() {
		return Thread.getAllStackTraces()
			.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().getName().equals("secrets-file-reader"))
			.filter((entry) -> Arrays.stream(entry.getValue())
				.anyMatch((frame) -> frame.getClassName().equals("sun.nio.fs.UnixNativeDispatcher")
						&& frame.getMethodName().startsWith("open")))
			.count();
	}

	static void mkfifo(Path path) throws Exception {
		if (new ProcessBuilder("mkfifo", path.toString()).start().waitFor() != 0) {
			throw new IllegalStateException("mkfifo failed");
		}
	}

	/**
	 * Play one race in this JVM and print what is left, on one line.
	 * @param args the {@link Next} and the seconds to wait for nothing to be left
	 */
	public static void main(String[] args) throws Exception {
		Path dir = Files.createTempDirectory("stuck-fifo");
		Left left = run(dir, Next.valueOf(args[0]), Duration.ofSeconds(Long.parseLong(args[1])));
		System.out.println("signalled=" + SecretFileReader.stuckReadsSignalled() + " stuckReads=" + left.stuckReads()
				+ " readersInOpen=" + left.readersInOpen() + " releasers=" + left.releasers() + " outcome="
				+ left.outcome());
		SecretsProperties properties = new SecretsProperties();
		properties.setDir(dir);
		Health health = new SecretsHealthIndicator(new MountedSecrets(new StandardEnvironment(), properties)).health();
		System.out.println("health " + health.getStatus() + " " + health.getDetails());
		System.exit(0);
	}

}
