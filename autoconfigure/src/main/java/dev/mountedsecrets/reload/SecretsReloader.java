package dev.mountedsecrets.reload;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import dev.mountedsecrets.MountedSecrets;
import dev.mountedsecrets.MountedSecrets.Rotation;
import dev.mountedsecrets.SecretProblem;
import dev.mountedsecrets.SecretsSnapshot;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Watches the secrets folder on one daemon thread, {@code mounted-secrets-reload}: woken by
 * file-system events, and polling in any case. Each poll first compares the folder's
 * {@link FolderFingerprint} (names, link texts, inode, size, mode, mtime and ctime) with the
 * last one, and reads no contents when it is the same and settled.
 * <p>
 * A change that is an atomic swap (Kubernetes renames {@code ..data} to a new, complete
 * generation) is applied at once, provided the fingerprint did not change while the files
 * were read. Any other change (a file written in place, as on a Compose bind mount) is
 * applied once the folder has stayed the same for the quiet period, so a half-written file
 * is never taken. Applied changes are announced with a {@link SecretsRotatedEvent}; refused
 * ones are logged once, naming the file and the rule.
 */
public class SecretsReloader implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(SecretsReloader.class);

	/** Thread name of the watcher. */
	public static final String THREAD_NAME = "mounted-secrets-reload";

	private final MountedSecrets secrets;

	private final ApplicationEventPublisher publisher;

	private final Duration quietPeriod;

	private final Duration pollInterval;

	private final LongSupplier nanoClock;

	private final long settleMillis;

	private final AtomicLong rotations = new AtomicLong();

	private final AtomicLong refusals = new AtomicLong();

	private final AtomicLong changesNoticed = new AtomicLong();

	private final AtomicLong polls = new AtomicLong();

	private final AtomicLong contentReads = new AtomicLong();

	private final AtomicLong atomicSwaps = new AtomicLong();

	private final AtomicLong deferredChanges = new AtomicLong();

	private volatile boolean running;

	private @Nullable Thread thread;

	private @Nullable WatchService watchService;

	public SecretsReloader(MountedSecrets secrets, ApplicationEventPublisher publisher) {
		this(secrets, publisher, System::nanoTime, FolderFingerprint.SETTLE_MILLIS);
	}

	/**
	 * Create a reloader that measures the quiet period on the given clock and trusts a
	 * fingerprint whose file timestamps are the given age: for tests, which move the clock
	 * instead of waiting and need not wait for the timestamps to settle.
	 */
	SecretsReloader(MountedSecrets secrets, ApplicationEventPublisher publisher, LongSupplier nanoClock,
			long settleMillis) {
		this.secrets = secrets;
		this.publisher = publisher;
		this.quietPeriod = secrets.properties().getReload().getQuietPeriod();
		this.pollInterval = secrets.properties().getReload().getPollInterval();
		this.nanoClock = nanoClock;
		this.settleMillis = settleMillis;
	}

	@Override
	public void start() {
		this.watchService = watch(this.secrets.properties().getDir());
		this.running = true;
		FolderFingerprint last = null;
		SecretsSnapshot first = null;
		try {
			last = fingerprint();
			first = readFolder();
		}
		catch (RuntimeException ex) {
			logger.warn("Reading the secrets folder failed: " + ex.getClass().getName());
		}
		FolderFingerprint startFingerprint = last;
		SecretsSnapshot startRead = first;
		Thread watcher = new Thread(() -> watchLoop(startFingerprint, startRead), THREAD_NAME);
		watcher.setDaemon(true);
		this.thread = watcher;
		watcher.start();
	}

	@Override
	public void stop() {
		this.running = false;
		Thread watcher = this.thread;
		closeWatchService();
		if (watcher != null) {
			watcher.interrupt();
			try {
				watcher.join(TimeUnit.SECONDS.toMillis(5));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.thread = null;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Rotations applied so far.
	 * @return the count
	 */
	public long rotations() {
		return this.rotations.get();
	}

	/**
	 * Secret states refused so far (invalid or removed files).
	 * @return the count
	 */
	public long refusals() {
		return this.refusals.get();
	}

	/**
	 * Folder states noticed so far that differ from the one in use, including those not yet
	 * applied because the folder has not stayed the same for the quiet period.
	 * @return the count
	 */
	public long changesNoticed() {
		return this.changesNoticed.get();
	}

	/**
	 * Polls in which the watcher looked at the folder (woken by an event or the poll interval).
	 * @return the count
	 */
	public long polls() {
		return this.polls.get();
	}

	/**
	 * Polls in which the watcher read the files' contents, because the folder's fingerprint
	 * changed, was not settled yet, or a change was waiting for its quiet period.
	 * @return the count
	 */
	public long contentReads() {
		return this.contentReads.get();
	}

	/**
	 * Changes applied at once as atomic swaps, without the quiet period.
	 * @return the count
	 */
	public long atomicSwaps() {
		return this.atomicSwaps.get();
	}

	/**
	 * Changes that were put off for the quiet period (a file written in place).
	 * @return the count
	 */
	public long deferredChanges() {
		return this.deferredChanges.get();
	}

	/**
	 * Watch from a fingerprint and a read taken when the watcher was started.
	 * @param last the fingerprint, always taken before the read it stands for, so that a
	 * change made in between shows as a difference at the next poll
	 * @param first the read, which holds a change (kept for the quiet period) if it differs
	 * from what the application started with
	 */
	private void watchLoop(@Nullable FolderFingerprint last, @Nullable SecretsSnapshot first) {
		SecretsSnapshot seen = this.secrets.inUse();
		SecretsSnapshot pending = null;
		long pendingSince = 0;
		if (first != null && !sameState(first, seen)) {
			pending = first;
			pendingSince = this.nanoClock.getAsLong();
			this.changesNoticed.incrementAndGet();
			this.deferredChanges.incrementAndGet();
		}
		boolean again = false;
		boolean retried = false;
		while (this.running) {
			try {
				long waitNanos = again ? 0
						: (pending != null)
								? Math.max(0, this.quietPeriod.toNanos() - (this.nanoClock.getAsLong() - pendingSince))
								: this.pollInterval.toNanos();
				again = false;
				awaitChange(waitNanos);
				this.polls.incrementAndGet();
				FolderFingerprint now = fingerprint();
				if (pending == null && now != null && last != null && last.settled() && now.equals(last)) {
					continue;
				}
				boolean atomic = pending == null && now != null && last != null && now.isAtomicSwapFrom(last);
				SecretsSnapshot read = readFolder();
				// A read that found something new is trusted only if the folder did not move
				// while it was read (a swap in the middle of a read): else look again at once,
				// against the same last fingerprint.
				boolean stable = now == null || !(atomic || !sameState(read, seen)) || now.equals(fingerprint());
				if (!stable && !retried) {
					retried = true;
					again = true;
					continue;
				}
				atomic = atomic && stable;
				retried = false;
				if (logger.isDebugEnabled()) {
					logger.debug("Secrets folder read: " + (atomic ? "atomic swap" : "change") + " since " + last
							+ ", now " + now + (sameState(read, seen) ? ", same secrets" : ", other secrets"));
				}
				last = now;
				if (atomic) {
					if (!sameState(read, seen)) {
						this.changesNoticed.incrementAndGet();
						this.atomicSwaps.incrementAndGet();
						apply(read);
						seen = read;
					}
					pending = null;
				}
				else if (sameState(read, seen)) {
					pending = null;
				}
				else if (pending == null || !sameState(read, pending)) {
					pending = read;
					pendingSince = this.nanoClock.getAsLong();
					this.changesNoticed.incrementAndGet();
					this.deferredChanges.incrementAndGet();
				}
				else if (this.nanoClock.getAsLong() - pendingSince >= this.quietPeriod.toNanos()) {
					apply(read);
					seen = read;
					pending = null;
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (ClosedWatchServiceException ex) {
				return;
			}
			catch (RuntimeException ex) {
				logger.warn("Reading the secrets folder failed: " + ex.getClass().getName());
			}
		}
	}

	private @Nullable FolderFingerprint fingerprint() {
		return FolderFingerprint.take(this.secrets.properties().getDir(),
				this.secrets.properties().isIncludeSubfolders(), this.settleMillis);
	}

	private SecretsSnapshot readFolder() {
		this.contentReads.incrementAndGet();
		return this.secrets.readFolder();
	}

	private void apply(SecretsSnapshot read) {
		Rotation rotation = this.secrets.rotate(read);
		// each counter moves once its step is complete, log line included: whoever waits on it
		// (a test, the actuator) sees the whole step
		for (SecretProblem refused : rotation.refused()) {
			logger.warn("Secret not rotated: " + refused.describe() + "; the last good value stays in use. "
					+ refused.action());
			this.refusals.incrementAndGet();
		}
		if (!rotation.secrets().isEmpty()) {
			try {
				this.publisher.publishEvent(new SecretsRotatedEvent(this, rotation.secrets(), rotation.properties()));
			}
			catch (RuntimeException ex) {
				// The rotation is in use: a listener's failure must not stop the watch, nor
				// read as a failed read. Its message may quote a value: name its type only.
				logger.warn("A listener of the rotation of " + rotation.secrets() + " failed ("
						+ ex.getClass().getName() + "); the rotated values are in use, and the listeners after"
						+ " it may not have received them. Check the application's listeners of "
						+ SecretsRotatedEvent.class.getSimpleName() + ".");
			}
			logger.info("Rotated secrets " + rotation.secrets());
			this.rotations.incrementAndGet();
		}
	}

	private static boolean sameState(SecretsSnapshot a, SecretsSnapshot b) {
		return a.secrets().equals(b.secrets()) && a.problems().equals(b.problems());
	}

	private void awaitChange(long nanos) throws InterruptedException {
		WatchService watcher = this.watchService;
		if (watcher == null) {
			TimeUnit.NANOSECONDS.sleep(nanos);
			return;
		}
		WatchKey key = watcher.poll(nanos, TimeUnit.NANOSECONDS);
		if (key != null) {
			key.pollEvents();
			key.reset();
		}
	}

	private static @Nullable WatchService watch(Path dir) {
		if (!Files.isDirectory(dir)) {
			return null;
		}
		try {
			WatchService watcher = FileSystems.getDefault().newWatchService();
			dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
					StandardWatchEventKinds.ENTRY_MODIFY);
			return watcher;
		}
		catch (IOException | UnsupportedOperationException ex) {
			logger.debug("No file-system events for " + dir + "; polling only");
			return null;
		}
	}

	private void closeWatchService() {
		WatchService watcher = this.watchService;
		this.watchService = null;
		if (watcher != null) {
			try {
				watcher.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}
	}

}
