package dev.mountedsecrets.reload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import dev.mountedsecrets.KubernetesSecretVolume;
import dev.mountedsecrets.MountedSecrets;
import dev.mountedsecrets.SecretFile;
import dev.mountedsecrets.SecretMappings;
import dev.mountedsecrets.SecretsProperties;
import dev.mountedsecrets.SecretsPropertySource;
import dev.mountedsecrets.SecretsSnapshot;
import dev.mountedsecrets.TestWaits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The watch loop on its own, driven deterministically: the quiet period is measured on a
 * clock the test moves (frozen, a change written in place can never be applied; moved by
 * exactly the quiet period, it is), fingerprints are trusted as soon as the file timestamps
 * are one millisecond old, and every step waits on the counter it moves. What it shows: an
 * atomic {@code ..data} swap is applied at once, a file written in place waits for the quiet
 * period, a swap made while the folder is read is read again before anything is applied, a
 * poll that finds nothing changed reads no contents, the watcher sleeps between file-system
 * events, and {@code stop()} ends the thread, waits for a rotation under way and closes the
 * watch service.
 */
class SecretsReloaderWatchTests {

	private static final String KEY_1 = "Watch-Key-One-3f9d0b6a2c7e41d58a9";

	private static final String KEY_2 = "Watch-Key-Two-a1c47e92d05b6f83e07";

	private static final String KEY_3 = "Watch-Key-Six-0be58d3a7f14c629d1";

	private static final Duration QUIET = Duration.ofMillis(20);

	private static final Duration NEVER = Duration.ofHours(1);

	@TempDir
	Path root;

	private final StandardEnvironment environment = new StandardEnvironment();

	private final List<SecretsRotatedEvent> events = new CopyOnWriteArrayList<>();

	/** The clock the quiet period is measured on: frozen unless a test moves it. */
	private final AtomicLong clock = new AtomicLong(1_000_000_000_000_000L);

	private final CountDownLatch release = new CountDownLatch(1);

	private SecretsReloader reloader;

	@AfterEach
	void stop() {
		this.release.countDown();
		if (this.reloader != null) {
			this.reloader.stop();
		}
	}

	@Test
	void pollWhenNothingChangedReadsNoContentsAndNoticesNothing() throws IOException {
		Path dir = folderWithKey();
		this.reloader = reloader(dir, Duration.ofMillis(5), this::record);
		this.reloader.start();
		awaitUntil(() -> this.reloader.polls() >= this.reloader.contentReads());
		long reads = this.reloader.contentReads();
		long polls = this.reloader.polls();
		awaitUntil(() -> this.reloader.polls() >= polls + 5);
		assertThat(this.reloader.contentReads()).isEqualTo(reads);
		assertThat(this.reloader.changesNoticed()).isZero();
		assertThat(this.reloader.deferredChanges()).isZero();
		assertThat(this.reloader.atomicSwaps()).isZero();
		assertThat(this.reloader.rotations()).isZero();
		assertThat(this.events).isEmpty();
	}

	@Test
	void pollWhenWokenByEventsPollsOncePerEventAndOtherwiseSleeps() throws IOException {
		Path dir = folderWithKey();
		this.reloader = reloader(dir, NEVER, this::record);
		this.reloader.start();
		for (int i = 1; i <= 3; i++) {
			// One directory created: one file-system event, one poll (the JDK's watch service
			// may wake its key once more for the same event: at most two).
			long before = this.reloader.polls();
			Files.createDirectory(dir.resolve(".wake-" + i));
			awaitUntil(() -> this.reloader.polls() > before);
			assertThat(this.reloader.polls()).isBetween(before + 1, before + 2);
		}
		// A changed timestamp (one event) changes the fingerprint: one read, and the same
		// secrets, so nothing noticed.
		long reads = this.reloader.contentReads();
		long before = this.reloader.polls();
		Path file = dir.resolve("crypto_key");
		Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() - 60_000));
		awaitUntil(() -> this.reloader.contentReads() > reads);
		assertThat(this.reloader.contentReads()).isEqualTo(reads + 1);
		assertThat(this.reloader.polls()).isBetween(before + 1, before + 2);
		assertThat(this.reloader.changesNoticed()).isZero();
	}

	@Test
	void reloadWhenChangeWaitsForLongQuietPeriodLooksAgainOnlyWhenWokenOrWhenItEnds() throws IOException {
		Path dir = folderWithKey();
		this.reloader = reloader(dir, NEVER, NEVER, this::record);
		this.reloader.start();
		wakeUntilSettled(dir);
		replace(dir, KEY_2);
		awaitUntil(() -> this.reloader.deferredChanges() == 1);
		// Each wake-up is one event (the rename's own events may still wake it once or twice;
		// the JDK's watch service may wake its key once more): a handful of polls, never a loop.
		long polls = this.reloader.polls();
		Files.createDirectory(dir.resolve(".wake-quiet"));
		awaitUntil(() -> this.reloader.polls() >= polls + 1);
		assertThat(this.reloader.polls()).isBetween(polls + 1, polls + 4);
		assertThat(this.reloader.rotations()).isZero();
		long pollsBefore = this.reloader.polls();
		this.clock.addAndGet(NEVER.toNanos());
		Files.createDirectory(dir.resolve(".wake-after"));
		awaitUntil(() -> this.reloader.rotations() == 1);
		// a poll already under way when the clock moved may apply it without another
		assertThat(this.reloader.polls()).isBetween(pollsBefore, pollsBefore + 3);
		assertThat(cryptoKey()).isEqualTo(KEY_2);
	}

	@Test
	void reloadWhenFileReplacedInPlaceWaitsForTheQuietPeriodOnly() throws IOException {
		Path dir = folderWithKey();
		this.reloader = reloader(dir, NEVER, this::record);
		this.reloader.start();
		wakeUntilSettled(dir);
		replace(dir, KEY_2);
		awaitUntil(() -> this.reloader.deferredChanges() == 1);
		assertThat(this.reloader.changesNoticed()).isEqualTo(1);
		// While a change waits, the watcher looks again every quiet period, without events;
		// with the clock frozen, the period never ends.
		long polls = this.reloader.polls();
		awaitUntil(() -> this.reloader.polls() >= polls + 3);
		assertThat(this.reloader.rotations()).isZero();
		assertThat(this.events).isEmpty();
		assertThat(cryptoKey()).isEqualTo(KEY_1);
		this.clock.addAndGet(QUIET.toNanos());
		awaitUntil(() -> this.reloader.rotations() == 1);
		assertThat(cryptoKey()).isEqualTo(KEY_2);
		assertThat(this.events).singleElement()
			.satisfies((event) -> assertThat(event.getSecrets()).containsExactly("crypto_key"));
		assertThat(this.reloader.atomicSwaps()).isZero();
		assertThat(this.reloader.deferredChanges()).isEqualTo(1);
		assertThat(this.reloader.changesNoticed()).isEqualTo(1);
	}

	@Test
	void reloadWhenKubernetesSwapsDataAppliesItWithoutWaitingTheQuietPeriod() throws IOException {
		Path dir = Files.createDirectory(this.root.resolve("secrets"));
		KubernetesSecretVolume volume = new KubernetesSecretVolume(dir);
		volume.write("crypto_key", KEY_1);
		this.reloader = reloader(dir, Duration.ofMillis(5), this::record);
		this.reloader.start();
		awaitUntil(() -> this.reloader.polls() >= this.reloader.contentReads());
		volume.write("crypto_key", KEY_2);
		// The clock is frozen: only the atomic-swap path can apply the change.
		awaitUntil(() -> this.reloader.rotations() == 1);
		assertThat(cryptoKey()).isEqualTo(KEY_2);
		assertThat(this.reloader.atomicSwaps()).isEqualTo(1);
		assertThat(this.reloader.deferredChanges()).isZero();
		assertThat(this.reloader.changesNoticed()).isEqualTo(1);
		assertThat(this.events).singleElement()
			.satisfies((event) -> assertThat(event.getSecrets()).containsExactly("crypto_key"));
	}

	@Test
	void reloadWhenKubernetesSwapsAgainDuringTheReadAppliesOnlyWhatItReadsAfter() throws Exception {
		Path dir = Files.createDirectory(this.root.resolve("secrets"));
		KubernetesSecretVolume volume = new KubernetesSecretVolume(dir);
		volume.write("crypto_key", KEY_1);
		CountDownLatch secondWritten = new CountDownLatch(1);
		AtomicBoolean swappedDuringRead = new AtomicBoolean();
		SecretsProperties properties = properties(dir, Duration.ofMillis(5), QUIET);
		MountedSecrets secrets = new MountedSecrets(this.environment, properties) {

			@Override
			public SecretsSnapshot readFolder() {
				SecretsSnapshot read = super.readFolder();
				SecretFile key = read.get("crypto_key");
				if (key != null && key.value().equals(KEY_2) && swappedDuringRead.compareAndSet(false, true)) {
					// The next generation appears while this read is still under way.
					try {
						secondWritten.await();
						volume.write("crypto_key", KEY_3);
					}
					catch (IOException | InterruptedException ex) {
						throw new IllegalStateException(ex);
					}
				}
				return read;
			}

		};
		this.reloader = reloader(secrets, this::record);
		this.reloader.start();
		awaitUntil(() -> this.reloader.polls() >= this.reloader.contentReads());
		volume.write("crypto_key", KEY_2);
		secondWritten.countDown();
		// A poll that caught the first swap half made (its generation folder there, ..data not
		// moved yet) sees the rest as a change in place, kept for the quiet period, and may put
		// it off again when the next generation appears: then the frozen clock is moved on
		// until it is applied. Either way, what was read while the folder moved is never used.
		awaitUntil(() -> this.reloader.rotations() == 1 || this.reloader.deferredChanges() >= 1);
		boolean atomic = this.reloader.rotations() == 1;
		if (!atomic) {
			assertThat(cryptoKey()).isEqualTo(KEY_1);
			awaitUntil(() -> {
				this.clock.addAndGet(QUIET.toNanos());
				return this.reloader.rotations() == 1;
			});
		}
		assertThat(swappedDuringRead).isTrue();
		assertThat(cryptoKey()).isEqualTo(KEY_3);
		assertThat(this.events).singleElement()
			.satisfies((event) -> assertThat(event.getSecrets()).containsExactly("crypto_key"));
		if (atomic) {
			assertThat(this.reloader.atomicSwaps()).isEqualTo(1);
			assertThat(this.reloader.deferredChanges()).isZero();
			assertThat(this.reloader.changesNoticed()).isEqualTo(1);
		}
	}

	@Test
	void startWhenFolderChangedSinceStartUpKeepsTheChangeForTheQuietPeriod() throws IOException {
		Path dir = folderWithKey();
		this.reloader = reloader(dir, Duration.ofMillis(5), this::record);
		replace(dir, KEY_2);
		this.reloader.start();
		awaitUntil(() -> this.reloader.deferredChanges() == 1);
		long polls = this.reloader.polls();
		awaitUntil(() -> this.reloader.polls() >= polls + 3);
		assertThat(this.reloader.rotations()).isZero();
		assertThat(cryptoKey()).isEqualTo(KEY_1);
		this.clock.addAndGet(QUIET.toNanos());
		awaitUntil(() -> this.reloader.rotations() == 1);
		assertThat(cryptoKey()).isEqualTo(KEY_2);
		assertThat(this.reloader.changesNoticed()).isEqualTo(1);
	}

	@Test
	void stopWhenWatcherSleepsWithoutWatchServiceEndsTheThreadAtOnce() {
		// No folder: no file-system events, the watcher sleeps for the poll interval.
		this.reloader = reloader(this.root.resolve("missing"), NEVER, this::record);
		this.reloader.start();
		Thread watcher = watcherThread();
		// Asleep for the poll interval: only an interrupt ends that sleep early.
		awaitUntil(() -> watcher.getState() == Thread.State.TIMED_WAITING);
		this.reloader.stop();
		assertThat(watcher.isAlive()).isFalse();
		assertThat(this.reloader.polls()).isZero();
		assertThat(this.reloader.isRunning()).isFalse();
	}

	@Test
	void stopWhenRotationUnderWayReturnsOnlyAfterItFinished() throws Exception {
		CountDownLatch publishing = new CountDownLatch(1);
		Thread watcher = startBlockedInPublish(publishing);
		Thread stopper = new Thread(this.reloader::stop, "stopper");
		stopper.start();
		// stop() waits for the watcher (join) while the rotation's event is being delivered.
		awaitUntil(() -> stopper.getState() == Thread.State.TIMED_WAITING);
		assertThat(watcher.isAlive()).isTrue();
		assertThat(this.reloader.rotations()).isZero();
		this.release.countDown();
		TestWaits.join(stopper);
		assertThat(watcher.isAlive()).isFalse();
		assertThat(this.reloader.rotations()).isEqualTo(1);
		assertThat(this.events).hasSize(1);
		assertThat(this.reloader.isRunning()).isFalse();
	}

	@Test
	void stopWhenCallerInterruptedWhileWaitingKeepsItsInterrupt() throws Exception {
		CountDownLatch publishing = new CountDownLatch(1);
		startBlockedInPublish(publishing);
		AtomicBoolean interrupted = new AtomicBoolean();
		Thread stopper = new Thread(() -> {
			this.reloader.stop();
			interrupted.set(Thread.currentThread().isInterrupted());
		}, "stopper");
		stopper.start();
		awaitUntil(() -> stopper.getState() == Thread.State.TIMED_WAITING);
		stopper.interrupt();
		TestWaits.join(stopper);
		assertThat(interrupted).isTrue();
		assertThat(this.reloader.isRunning()).isFalse();
	}

	@Test
	void stopWhenWatchingClosesTheWatchService() throws IOException {
		Path dir = folderWithKey();
		long before = inotifyDescriptors();
		this.reloader = reloader(dir, NEVER, this::record);
		this.reloader.start();
		assertThat(inotifyDescriptors()).isEqualTo(before + 1);
		this.reloader.stop();
		assertThat(inotifyDescriptors()).isEqualTo(before);
	}

	/**
	 * Start with a change pending since start-up, let the quiet period end, and block the
	 * watcher in the delivery of its event until {@link #release} is counted down.
	 */
	private Thread startBlockedInPublish(CountDownLatch publishing) throws Exception {
		Path dir = folderWithKey();
		this.reloader = reloader(dir, Duration.ofMillis(5), (event) -> {
			record(event);
			publishing.countDown();
			boolean interrupted = false;
			while (true) {
				try {
					this.release.await();
					break;
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		});
		replace(dir, KEY_2);
		this.reloader.start();
		awaitUntil(() -> this.reloader.deferredChanges() == 1);
		this.clock.addAndGet(QUIET.toNanos());
		TestWaits.await(publishing);
		return watcherThread();
	}

	private void record(Object event) {
		this.events.add((SecretsRotatedEvent) event);
	}

	private Path folderWithKey() throws IOException {
		Path dir = Files.createDirectory(this.root.resolve("secrets"));
		Files.writeString(dir.resolve("crypto_key"), KEY_1, StandardCharsets.UTF_8);
		return dir;
	}

	/** Replace the key file with one rename, as an editor that saves atomically does. */
	private void replace(Path dir, String value) throws IOException {
		Path staged = Files.writeString(this.root.resolve("staged"), value, StandardCharsets.UTF_8);
		Files.move(staged, dir.resolve("crypto_key"), StandardCopyOption.ATOMIC_MOVE,
				StandardCopyOption.REPLACE_EXISTING);
	}

	/** Wake the watcher with events until it has had a poll that read no contents. */
	private void wakeUntilSettled(Path dir) throws IOException {
		AtomicInteger wakes = new AtomicInteger();
		while (this.reloader.polls() < this.reloader.contentReads()) {
			long polls = this.reloader.polls();
			Files.createDirectory(dir.resolve(".wake-" + wakes.incrementAndGet()));
			awaitUntil(() -> this.reloader.polls() > polls);
		}
	}

	private String cryptoKey() {
		return this.environment.getProperty("secrets.file.crypto_key");
	}

	private SecretsReloader reloader(Path dir, Duration pollInterval, ApplicationEventPublisher publisher) {
		return reloader(dir, pollInterval, QUIET, publisher);
	}

	private SecretsReloader reloader(Path dir, Duration pollInterval, Duration quietPeriod,
			ApplicationEventPublisher publisher) {
		return reloader(new MountedSecrets(this.environment, properties(dir, pollInterval, quietPeriod)), publisher);
	}

	private SecretsReloader reloader(MountedSecrets secrets, ApplicationEventPublisher publisher) {
		this.environment.getPropertySources()
			.addFirst(new SecretsPropertySource(secrets.readFolder(), SecretMappings.withOverrides(Map.of())));
		return new SecretsReloader(secrets, publisher, this.clock::get, 1);
	}

	private static SecretsProperties properties(Path dir, Duration pollInterval, Duration quietPeriod) {
		SecretsProperties properties = new SecretsProperties();
		properties.setDir(dir);
		properties.getReload().setQuietPeriod(quietPeriod);
		properties.getReload().setPollInterval(pollInterval);
		return properties;
	}

	private static Thread watcherThread() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().equals(SecretsReloader.THREAD_NAME) && thread.isAlive())
			.findFirst()
			.orElseThrow();
	}

	/** Open inotify instances of this JVM: one per watch service. */
	private static long inotifyDescriptors() throws IOException {
		try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
			return descriptors.filter((fd) -> {
				try {
					return Files.readSymbolicLink(fd).toString().contains("inotify");
				}
				catch (IOException ex) {
					return false;
				}
			}).count();
		}
	}

	private static void awaitUntil(BooleanSupplier condition) {
		await().atMost(TestWaits.LIMIT).pollInterval(Duration.ofMillis(2)).until(condition::getAsBoolean);
	}

}
