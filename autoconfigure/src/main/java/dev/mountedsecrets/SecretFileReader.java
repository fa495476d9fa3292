package dev.mountedsecrets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

/**
 * Reads one secret file: strictly UTF-8, a leading BOM dropped, exactly one trailing
 * {@code \n} or {@code \r\n} removed, everything else kept as written (PEM blocks included).
 * <p>
 * Opening is the check: the file is opened without following links, its identity after the
 * open must be the one that was checked, and at most {@code max-file-size + 1} bytes are read
 * from the opened handle. The open and the read run on a daemon thread and are given up
 * after the read timeout, so that a file swapped for a FIFO or a stalled mount cannot block
 * start-up, the reload thread or a health check for ever.
 * <p>
 * A FIFO put where a checked file was blocks {@code open()} until something opens its other
 * end. An open still running after {@link #EARLY_RELEASE} while the path holds a FIFO is
 * released at once (the read then fails as replaced). A read given up is released until its
 * thread returns: the FIFO at the path, and FIFOs renamed inside the same folder, are opened
 * for reading and writing (which never blocks on Linux); where the JVM exports
 * {@code sun.nio.ch}, the thread is also signalled, so that its {@code open()} starts again on
 * whatever the path holds now (see {@link BlockedOpens}). Without that export, a reader whose
 * FIFO was unlinked (or renamed out of the folder) stays blocked until the process ends.
 */
public final class SecretFileReader {

	/** Used when no timeout is given. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	private static final int CHUNK = 8192;

	private static final int S_IFMT = 0170000;

	private static final int S_IFIFO = 0010000;

	private static final ExecutorService READERS = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "secrets-file-reader");
		thread.setDaemon(true);
		return thread;
	});

	private static final AtomicInteger ABANDONED = new AtomicInteger();

	private static final int PENDING = 0;

	private static final int RUNNING = 1;

	private static final int DONE = 2;

	private static final int GIVEN_UP = 3;

	/** A read given up whose thread has since returned. */
	private static final int RETURNED = 4;

	/** How often a FIFO is opened again while the read stuck on it has not returned. */
	private static final Duration RELEASE_INTERVAL = Duration.ofMillis(20);

	/** How long a stuck read is released every {@link #RELEASE_INTERVAL}; then every second. */
	private static final Duration RELEASE_FOR = Duration.ofMinutes(1);

	private static final Duration RELEASE_INTERVAL_LATER = Duration.ofSeconds(1);

	/** How long an open may run before a FIFO at its path is released, not waiting for the timeout. */
	static final Duration EARLY_RELEASE = Duration.ofMillis(10);

	private final DataSize maxFileSize;

	private final Duration timeout;

	private final boolean releaseEarly;

	/**
	 * Create a reader that refuses files larger than the given size.
	 * @param maxFileSize the largest file accepted
	 */
	public SecretFileReader(DataSize maxFileSize) {
		this(maxFileSize, DEFAULT_TIMEOUT);
	}

	/**
	 * Create a reader that refuses files larger than the given size and gives up a read that
	 * takes longer than the timeout.
	 * @param maxFileSize the largest file accepted
	 * @param timeout the longest an open and read of one file may take
	 */
	public SecretFileReader(DataSize maxFileSize, Duration timeout) {
		this(maxFileSize, timeout, true);
	}

	/**
	 * A reader that may leave FIFOs alone until the timeout, for tests of the timeout itself.
	 * @param releaseEarly whether an open blocked on a FIFO at its path is released after
	 * {@link #EARLY_RELEASE}
	 */
	SecretFileReader(DataSize maxFileSize, Duration timeout, boolean releaseEarly) {
		this.maxFileSize = maxFileSize;
		this.timeout = timeout;
		this.releaseEarly = releaseEarly;
	}

	/**
	 * Reads given up after the timeout whose thread is still blocked (in {@code open()} or
	 * {@code read()}); zero once every abandoned read has returned.
	 * @return the number of reads still stuck
	 */
	public static int abandonedReads() {
		return ABANDONED.get();
	}

	/**
	 * Whether a read stuck in {@code open()} of a FIFO that was unlinked can be released:
	 * only when the JVM runs with {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}.
	 * @return {@code true} if stuck reads are signalled
	 */
	public static boolean stuckReadsSignalled() {
		return BlockedOpens.signalsAvailable();
	}

	/**
	 * Why users other than the owner and group could change a file or folder, if they can.
	 * Links are followed: the target's mode counts.
	 * @param path the file or folder
	 * @return the rule it breaks, or {@code null} if only its owner and group may write to it
	 */
	static @Nullable String writableByOthers(Path path) {
		try {
			return writableByOthers(attributes(path));
		}
		catch (IOException ex) {
			return null;
		}
	}

	/**
	 * Why users other than the owner and group could change a file, if they can.
	 * @param facts a look at the file, following links
	 * @return the rule it breaks, or {@code null} if they cannot, or the file system has no such
	 * permissions
	 */
	static @Nullable String writableByOthers(FileFacts facts) {
		if (facts.writableByOthers()) {
			return "is writable by other users (mode " + PosixFilePermissions.toString(facts.permissions()) + ")";
		}
		return null;
	}

	/**
	 * The attributes of a file, with its mode, owner and link count where the file system has
	 * them, in one look.
	 * @param path the file
	 * @param options {@link LinkOption#NOFOLLOW_LINKS} to read a link itself
	 * @return its attributes
	 * @throws IOException if they cannot be read
	 */
	static FileFacts attributes(Path path, LinkOption... options) throws IOException {
		return FileFacts.of(path, options);
	}

	/**
	 * Why others could replace the files of a folder that is not a secrets folder (the folder
	 * of an {@code X_FILE}): it is writable by others and has no sticky bit, as {@code /tmp} has.
	 * @param folder the folder
	 * @return the rule it breaks, or {@code null}
	 */
	static @Nullable String folderWritableByOthers(Path folder) {
		try {
			FileFacts facts = attributes(folder);
			return facts.sticky() ? null : writableByOthers(facts);
		}
		catch (IOException ex) {
			return null;
		}
	}

	/**
	 * Read a file, following a link to the file it names. The link's target is what is
	 * opened and checked.
	 */
	SecretFile read(String name, Path path) throws UnusableSecretFileException {
		Path target = path;
		attributesOf(path);
		if (Files.isSymbolicLink(path)) {
			try {
				target = path.toRealPath();
			}
			catch (IOException ex) {
				throw unreadable(ex);
			}
		}
		return read(name, path, target, lstat(target));
	}

	/**
	 * Read a file that was checked: {@code target} is no link and had the given attributes.
	 * @param name the secret's name
	 * @param shown the path the secret is known by, a link or the target itself
	 * @param target the file to open, never a link
	 * @param checked the target's attributes when it was checked
	 */
	SecretFile read(String name, Path shown, Path target, FileFacts checked)
			throws UnusableSecretFileException {
		Object result = readAll(List.of(new Request(name, shown, target, checked)))[0];
		if (result instanceof UnusableSecretFileException unusable) {
			throw unusable;
		}
		return ((Read) result).secret();
	}

	/**
	 * The attributes of a file, following links, or why it cannot serve as a secret.
	 */
	FileFacts attributesOf(Path path) throws UnusableSecretFileException {
		try {
			return attributes(path);
		}
		catch (NoSuchFileException ex) {
			if (Files.isSymbolicLink(path)) {
				throw new UnusableSecretFileException("is a symbolic link whose target does not exist",
						"Fix the link or mount the secret again.");
			}
			throw new UnusableSecretFileException("does not exist",
					"Create the file, or check that the secret is mounted where the application expects it.");
		}
		catch (IOException ex) {
			throw unreadable(ex);
		}
	}

	private FileFacts lstat(Path path) throws UnusableSecretFileException {
		try {
			return attributes(path, LinkOption.NOFOLLOW_LINKS);
		}
		catch (NoSuchFileException ex) {
			throw disappeared();
		}
		catch (IOException ex) {
			throw unreadable(ex);
		}
	}

	/**
	 * Read checked files, in order, on one reader thread: one hand-off for all of them. The
	 * open and read of each file is given the read timeout; a file still blocked then is
	 * abandoned (its thread is interrupted, a FIFO released) and the files after it are read
	 * on a fresh thread.
	 * @param requests the files to read
	 * @return for each request, in order, its {@link Read} or the
	 * {@link UnusableSecretFileException} that says why it cannot serve
	 */
	Object[] readAll(List<Request> requests) {
		try (ReaderThread thread = startEarly()) {
			return finish(handTo(thread, requests));
		}
	}

	/**
	 * Start reading files on a reader thread started earlier, as they are checked: each
	 * {@link Pipeline#offer offered} is read while the next ones are checked.
	 * @param capacity how many files it takes at most
	 * @param thread the reader thread
	 * @return the pipeline to offer checked files to
	 */
	Pipeline pipeline(int capacity, ReaderThread thread) {
		Batch batch = new Batch(capacity);
		return new Pipeline(batch, thread.run(() -> batch.work(0)));
	}

	/**
	 * Start reading checked files on a thread of their own, as {@link #readAll(List)} does,
	 * not waiting for them.
	 * @param requests the files
	 * @return the reading, to wait for with {@link #results(Reading)}
	 */
	Reading startReading(List<Request> requests) {
		return new Reading(start(requests));
	}

	/**
	 * Wait for a reading, as {@link #readAll(List)} waits.
	 * @param reading the reading
	 * @return for each of its requests, in order, its {@link Read} or the
	 * {@link UnusableSecretFileException} that says why it cannot serve
	 */
	Object[] results(Reading reading) {
		return finish(reading.started);
	}

	/**
	 * Files handed to a reader thread and being read.
	 */
	static final class Reading {

		private final Started started;

		private Reading(Started started) {
			this.started = started;
		}

	}

	/**
	 * Files streamed to a reader thread as they are checked.
	 */
	final class Pipeline {

		private final Batch batch;

		private final Future<?> worker;

		private Pipeline(Batch batch, Future<?> worker) {
			this.batch = batch;
			this.worker = worker;
		}

		/**
		 * Hand a checked file over to be read now.
		 * @param request the file
		 * @return {@code false} when the pipeline is full (or closed): read it otherwise
		 */
		boolean offer(Request request) {
			return this.batch.offer(request);
		}

		/**
		 * How many files were handed over.
		 * @return the count
		 */
		int size() {
			return this.batch.size();
		}

		/**
		 * No more files: wait for those handed over, as {@link #readAll(List)} waits, from now.
		 * @return for each file handed over, in order, its {@link Read} or the
		 * {@link UnusableSecretFileException} that says why it cannot serve
		 */
		Object[] results() {
			this.batch.close();
			return finish(new Started(this.batch, this.worker, System.nanoTime()));
		}

		/**
		 * No more files, whatever happens next: the reader thread returns once it has read
		 * those handed over.
		 */
		void close() {
			this.batch.close();
		}

	}

	/**
	 * Start a reader thread before the files it reads are known: waking a parked thread
	 * costs as much as reading a few small files, and it is woken while the folder is
	 * listed and checked. Close it if no files are handed to it.
	 * @return the reader thread, waiting for its files
	 */
	ReaderThread startEarly() {
		return new ReaderThread(READERS);
	}

	private Started handTo(ReaderThread thread, List<Request> requests) {
		Batch batch = new Batch(requests);
		long handedAt = System.nanoTime();
		return new Started(batch, thread.run(() -> batch.work(0)), handedAt);
	}

	private Started start(List<Request> requests) {
		Batch batch = new Batch(requests);
		long submitted = System.nanoTime();
		return new Started(batch, READERS.submit(() -> batch.work(0)), submitted);
	}

	/**
	 * Wait until every file of a batch is read or given up, reading the files after one given
	 * up on a fresh thread. The caller spins a little first (see
	 * {@link ReaderThread#spinWhileRunning}): a small read is done before a parked caller
	 * would be woken.
	 */
	private Object[] finish(Started started) {
		Batch batch = started.batch();
		ReaderThread.spinWhileRunning(started.worker(), started.submitted());
		int from = await(batch, started.worker(), 0, started.submitted());
		while (from < batch.size()) {
			int first = from;
			long submitted = System.nanoTime();
			Future<?> worker = READERS.submit(() -> batch.work(first));
			from = await(batch, worker, first, submitted);
		}
		return (batch.size() == batch.results.length) ? batch.results : Arrays.copyOf(batch.results, batch.size());
	}

	/**
	 * A batch handed to its first reader thread.
	 */
	private record Started(Batch batch, Future<?> worker, long submitted) {

	}

	/**
	 * Wait for a reader thread until it has read every file, or until the file it is on has
	 * taken longer than the timeout.
	 * @return the index to go on from: the size of the batch when done
	 */
	private int await(Batch batch, Future<?> worker, int from, long submitted) {
		int size = batch.size();
		long timeoutNanos = this.timeout.toNanos();
		long step = this.releaseEarly ? EARLY_RELEASE.toNanos() : Long.MAX_VALUE;
		int current = from;
		long since = submitted;
		while (true) {
			try {
				worker.get(Math.min(step, Math.max(0, since + timeoutNanos - System.nanoTime())), TimeUnit.NANOSECONDS);
				return size;
			}
			catch (TimeoutException ex) {
				while (current < size && batch.states.get(current) == DONE) {
					current++;
				}
				int state = (current < size) ? batch.states.get(current) : DONE;
				long now = System.nanoTime();
				since = (state == RUNNING) ? batch.started[current] : (current == from) ? submitted : now;
				if (state != DONE && now - since >= timeoutNanos && batch.states.compareAndSet(current, state, GIVEN_UP)) {
					giveUp(batch, worker, current, state == RUNNING);
					batch.results[current] = timedOut();
					return current + 1;
				}
				if (state == RUNNING && this.releaseEarly && now - since >= step) {
					// A regular file opens at once: an open still running on a FIFO is the swap
					// race, and it fails anyway once open. Released now, it cannot be stranded
					// by a later unlink of the FIFO.
					releaseFifo(batch.requests[current].target());
				}
			}
			catch (InterruptedException ex) {
				for (int i = from; i < size; i++) {
					int state = batch.states.get(i);
					if (state != DONE && batch.states.compareAndSet(i, state, GIVEN_UP)) {
						giveUp(batch, worker, i, state == RUNNING);
						batch.results[i] = new UnusableSecretFileException(
								"was not read: the reading thread was interrupted", "Read the secrets again.");
					}
				}
				Thread.currentThread().interrupt();
				return size;
			}
			catch (ExecutionException ex) {
				throw new IllegalStateException("Secret file reader failed: " + ex.getCause().getClass().getName());
			}
		}
	}

	/**
	 * A read still blocked is counted as abandoned until it returns, interrupted (which
	 * closes its channel) and, when blocked opening a FIFO, released by opening its other end.
	 */
	private static void giveUp(Batch batch, Future<?> worker, int index, boolean running) {
		if (running) {
			ABANDONED.incrementAndGet();
		}
		worker.cancel(true);
		if (running) {
			releaseUntilReturned(batch, index);
		}
	}

	/**
	 * Release a reader that may be stuck opening a FIFO, on a daemon thread, until it returns:
	 * every {@link #RELEASE_INTERVAL} for {@link #RELEASE_FOR}, then every second. When the
	 * read is given up, its thread may not have reached {@code open()} yet, and the file
	 * system may change at any time after: each round opens the FIFO at the path, and either
	 * signals the thread (which restarts its {@code open()} on what the path holds now) or,
	 * where signals are not available, opens the FIFOs in the same folder (one renamed away).
	 */
	private static void releaseUntilReturned(Batch batch, int index) {
		Path target = batch.requests[index].target();
		releaseFifo(target);
		if (batch.states.get(index) != GIVEN_UP) {
			return;
		}
		Thread releaser = new Thread(() -> {
			long slowFrom = System.nanoTime() + RELEASE_FOR.toNanos();
			while (batch.states.get(index) == GIVEN_UP) {
				try {
					Thread.sleep(((System.nanoTime() < slowFrom) ? RELEASE_INTERVAL : RELEASE_INTERVAL_LATER).toMillis());
				}
				catch (InterruptedException ex) {
					return;
				}
				releaseFifo(target);
				if (BlockedOpens.signalsAvailable()) {
					batch.signalIfStuck(index);
				}
				else {
					releaseFifosIn(target.getParent());
				}
			}
		}, "secrets-fifo-release");
		releaser.setDaemon(true);
		releaser.start();
	}

	private UnusableSecretFileException timedOut() {
		return new UnusableSecretFileException(
				"could not be read within secrets.read-timeout (" + this.timeout.toMillis() + "ms); the read was"
						+ " abandoned (was the file replaced by a FIFO, or is the mount stalled?)",
				"Mount the secret as a regular file on a local or tmpfs volume, and check what else writes to"
						+ " the secrets folder.");
	}

	/**
	 * Read one checked file on a reader thread.
	 * @return the secret, or why it cannot serve
	 */
	private Object readOne(Request request) {
		try {
			FileFacts checked = request.checked();
			if (checked.directory()) {
				throw new UnusableSecretFileException("is a folder where a secret file is expected",
						"Mount the secret as a file, or set secrets.include-subfolders=true to read the files inside it.");
			}
			if (!checked.regularFile()) {
				throw new UnusableSecretFileException("is not a regular file (a FIFO, socket or device)",
						"Mount the secret as a regular file.");
			}
			if (checked.size() > this.maxFileSize.toBytes()) {
				throw tooLarge();
			}
			return readOpened(request.name(), request.shown(), request.target(), checked);
		}
		catch (UnusableSecretFileException ex) {
			return ex;
		}
		catch (NoSuchFileException ex) {
			return disappeared();
		}
		catch (IOException ex) {
			// An open or read that failed on a path that no longer holds the file that was
			// checked: the file was swapped in between, whatever error the swap caused.
			return stillTheCheckedFile(request.target(), request.checked()) ? unreadable(ex) : replaced();
		}
		catch (RuntimeException ex) {
			return new UnusableSecretFileException("cannot be read (" + ex.getClass().getSimpleName() + ")",
					"Give the application's user read access to the file and its folder.");
		}
	}

	/**
	 * A file to read: {@code target} is no link and had the {@code checked} attributes.
	 *
	 * @param name the secret's name
	 * @param shown the path the secret is known by, a link or the target itself
	 * @param target the file to open
	 * @param checked the target's attributes when it was checked
	 */
	record Request(String name, Path shown, Path target, FileFacts checked) {

		Request(String name, Path shown, Path target, BasicFileAttributes checked) {
			this(name, shown, target, FileFacts.of(checked));
		}

	}

	/**
	 * The files of one read and how far their reader threads got. Each file goes from
	 * pending to running (set by the reader thread) to done (by the reader thread, with its
	 * result) or given up (by the waiting thread, whose result then stands), and from given up
	 * to returned when its reader thread comes back.
	 */
	private final class Batch {

		final Request[] requests;

		final Object[] results;

		final AtomicIntegerArray states;

		final long[] started;

		/** The native id of the thread reading each file, to signal it; 0 if none. */
		final long[] threads;

		/** How many requests are in: all of them for a batch made whole, fewer while one is streamed. */
		private volatile int size;

		private volatile boolean closed;

		/** The reader thread, while it parks waiting for more requests. */
		private volatile @Nullable Thread waiting;

		Batch(List<Request> requests) {
			this(requests.size());
			requests.toArray(this.requests);
			this.size = requests.size();
			this.closed = true;
		}

		/**
		 * A batch to stream requests into, up to the given number.
		 */
		Batch(int capacity) {
			this.requests = new Request[capacity];
			this.results = new Object[capacity];
			this.states = new AtomicIntegerArray(capacity);
			this.started = new long[capacity];
			this.threads = new long[capacity];
		}

		int size() {
			return this.size;
		}

		/**
		 * Add a request, from the one thread that streams them.
		 * @return {@code false} when the batch is full or closed
		 */
		boolean offer(Request request) {
			int count = this.size;
			if (this.closed || count == this.requests.length) {
				return false;
			}
			this.requests[count] = request;
			this.size = count + 1;
			ReaderThread.wake(this.waiting);
			return true;
		}

		/**
		 * No more requests: the reader thread returns once it has read those in.
		 */
		void close() {
			this.closed = true;
			ReaderThread.wake(this.waiting);
		}

		void work(int from) {
			long thread = BlockedOpens.currentThread();
			for (int i = from; isIn(i); i++) {
				this.started[i] = System.nanoTime();
				this.threads[i] = thread;
				if (!this.states.compareAndSet(i, PENDING, RUNNING)) {
					return;
				}
				Object result = readOne(this.requests[i]);
				synchronized (this) {
					if (!this.states.compareAndSet(i, RUNNING, DONE)) {
						this.states.set(i, RETURNED);
						ABANDONED.decrementAndGet();
						return;
					}
				}
				this.results[i] = result;
			}
		}

		/**
		 * Whether request {@code index} is in, waiting for it while the batch is open (see
		 * {@link ReaderThread#waitUntil}): every request in is read or given up by the caller.
		 */
		private boolean isIn(int index) {
			ReaderThread.waitUntil(() -> index < this.size || this.closed, (thread) -> this.waiting = thread);
			return index < this.size;
		}

		/**
		 * Signal the thread of a read given up, if it has not returned. Under the lock the
		 * thread takes to say it returned: a thread is signalled only while it is inside the
		 * read (a signal to a thread that has ended is undefined).
		 */
		synchronized void signalIfStuck(int index) {
			if (this.states.get(index) == GIVEN_UP) {
				BlockedOpens.signal(this.threads[index]);
			}
		}

	}

	private Read readOpened(String name, Path shown, Path target, FileFacts checked) throws IOException, UnusableSecretFileException {
		SeekableByteChannel channel;
		try {
			channel = Files.newByteChannel(target, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
		}
		catch (NoSuchFileException ex) {
			throw ex;
		}
		catch (IOException ex) {
			if (refusedAsLink(ex) || Files.isSymbolicLink(target)) {
				throw replaced();
			}
			throw ex;
		}
		try (channel) {
			// Java has no fstat of a channel: the opened file is looked at by path. Where the
			// check before the open saw the link count, the basic look is enough (the unix view
			// map costs some 0.6 µs more than the stat itself here) and the count is the checked one: the
			// identity compared next makes it the same file.
			boolean linksChecked = checked.mode() != null;
			FileFacts opened = linksChecked
					? FileFacts.of(Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS))
					: attributes(target, LinkOption.NOFOLLOW_LINKS);
			if (!opened.regularFile() || !Objects.equals(opened.fileKey(), checked.fileKey())) {
				throw replaced();
			}
			long size = opened.size();
			long max = this.maxFileSize.toBytes();
			if (size > max) {
				throw tooLarge();
			}
			long limit = max + 1;
			byte[] content = new byte[(int) Math.min(size + 1, limit)];
			int length = 0;
			while (true) {
				if (length == content.length) {
					if (length >= limit) {
						break;
					}
					content = Arrays.copyOf(content, (int) Math.min(limit, (long) length + CHUNK));
				}
				int wanted = content.length - length;
				int count = channel.read(ByteBuffer.wrap(content, length, wanted));
				if (count < 0) {
					break;
				}
				length += count;
				if (length == size && count < wanted) {
					// A regular file read short at the size it had once open: the end. A file
					// that grew since would have filled the byte asked for beyond that size.
					break;
				}
			}
			if (length > max) {
				throw tooLarge();
			}
			if (length != size || size != checked.size()) {
				throw new UnusableSecretFileException("changed while it was being read",
						"Write secret files atomically (write a new file, then rename it into place).");
			}
			return new Read(new SecretFile(name, shown, text(content, length)),
					linksChecked ? checked.links() : opened.links());
		}
	}

	/**
	 * A file read: the secret, and how many names (hard links) its file had when opened.
	 *
	 * @param secret the secret
	 * @param links the link count, 1 when unknown
	 */
	record Read(SecretFile secret, int links) {

	}

	/**
	 * Wake a reader thread stuck in {@code open()} of a FIFO by opening it for reading and
	 * writing, which never blocks on Linux. Nothing is written.
	 */
	private static void releaseFifo(Path target) {
		try {
			if (isFifo(target)) {
				Files.newByteChannel(target, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)
					.close();
			}
		}
		catch (IOException | RuntimeException ex) {
			// the reader stays parked until the FIFO gets a writer; it is a daemon thread
		}
	}

	/**
	 * Whether a path is a FIFO itself (not a link to one, not a device or socket, which are
	 * never opened here).
	 */
	private static boolean isFifo(Path path) throws IOException {
		try {
			return Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) instanceof Integer mode
					&& (mode & S_IFMT) == S_IFIFO;
		}
		catch (UnsupportedOperationException | IllegalArgumentException ex) {
			return false;
		}
	}

	/**
	 * Release readers stuck on a FIFO renamed inside a folder: open every FIFO in it. A
	 * secrets folder holds no FIFO that serves anything (they are refused).
	 */
	private static void releaseFifosIn(@Nullable Path folder) {
		if (folder == null) {
			return;
		}
		try (Stream<Path> entries = Files.list(folder)) {
			entries.forEach(SecretFileReader::releaseFifo);
		}
		catch (IOException | RuntimeException ex) {
			// nothing to release there
		}
	}

	private static boolean stillTheCheckedFile(Path target, FileFacts checked) {
		return checked.regularFile() && sameEntry(target, checked);
	}

	/**
	 * Whether a path still names what an earlier look at it (without following links) saw.
	 * @param path the path
	 * @param seen what was seen
	 * @return whether it is the same kind of entry with the same file key
	 */
	static boolean sameEntry(Path path, FileFacts seen) {
		try {
			return seen.sameEntryAs(FileFacts.of(Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)));
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Why an I/O operation failed, in words that show no path content.
	 * @param ex the failure
	 * @return "permission denied" or the kind of failure
	 */
	static String reason(IOException ex) {
		return (ex instanceof AccessDeniedException) ? "permission denied" : ex.getClass().getSimpleName();
	}

	private static UnusableSecretFileException unreadable(IOException ex) {
		return new UnusableSecretFileException("cannot be read (" + reason(ex) + ")",
				"Give the application's user read access to the file and its folder.", true);
	}

	/**
	 * Whether an open without following links failed because the path is a link now. The
	 * JDK reports that {@code ELOOP} as a plain {@link IOException} ("... (NOFOLLOW_LINKS
	 * specified)"); every other open failure is a {@link java.nio.file.FileSystemException}.
	 * A later look at the path cannot tell: the link may be gone again, and the file put back
	 * may even reuse the checked file's inode.
	 */
	private static boolean refusedAsLink(IOException ex) {
		return ex.getClass() == IOException.class;
	}

	static UnusableSecretFileException replaced() {
		return new UnusableSecretFileException("was replaced while it was being read (by a link or another file)",
				"Check what else writes to the secrets folder; only the secret's owner should be able to.");
	}

	private static UnusableSecretFileException disappeared() {
		return new UnusableSecretFileException("disappeared while it was being read",
				"Check what removes the file; mount the secret again.");
	}

	private UnusableSecretFileException tooLarge() {
		return new UnusableSecretFileException("is larger than secrets.max-file-size (" + this.maxFileSize + ")",
				"Check that the right file is mounted, or raise secrets.max-file-size.");
	}

	/**
	 * The content as text: one leading BOM and exactly one trailing {@code \n} or
	 * {@code \r\n} dropped (on the bytes, which gives the same text as on the decoded
	 * characters), the rest decoded as strict UTF-8.
	 */
	private static String text(byte[] bytes, int length) throws UnusableSecretFileException {
		int start = (length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF) ? 3
				: 0;
		int end = length;
		if (end - 2 >= start && bytes[end - 2] == '\r' && bytes[end - 1] == '\n') {
			end -= 2;
		}
		else if (end - 1 >= start && bytes[end - 1] == '\n') {
			end -= 1;
		}
		if (isAscii(bytes, start, end)) {
			return new String(bytes, start, end - start, StandardCharsets.US_ASCII);
		}
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes, start, end - start))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new UnusableSecretFileException("is not valid UTF-8",
					"Write the secret as UTF-8 text; encode binary keys with Base64 first.");
		}
	}

	private static boolean isAscii(byte[] bytes, int start, int end) {
		for (int i = start; i < end; i++) {
			if (bytes[i] < 0) {
				return false;
			}
		}
		return true;
	}

}
