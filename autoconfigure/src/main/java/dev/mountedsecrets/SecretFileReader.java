package dev.mountedsecrets;

import java.io.ByteArrayOutputStream;
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
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

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
 */
public final class SecretFileReader {

	/** Used when no timeout is given. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	private static final char BYTE_ORDER_MARK = '\uFEFF';

	private static final int CHUNK = 8192;

	private static final int STICKY_BIT = 01000;

	private static final ExecutorService READERS = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "secrets-file-reader");
		thread.setDaemon(true);
		return thread;
	});

	private static final AtomicInteger ABANDONED = new AtomicInteger();

	private static final int RUNNING = 0;

	private static final int DONE = 1;

	private static final int GIVEN_UP = 2;

	private final DataSize maxFileSize;

	private final Duration timeout;

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
		this.maxFileSize = maxFileSize;
		this.timeout = timeout;
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
	 * @param attributes the file's attributes, read following links
	 * @return the rule it breaks, or {@code null} if they cannot, or the file system has no such
	 * permissions
	 */
	static @Nullable String writableByOthers(BasicFileAttributes attributes) {
		if (attributes instanceof PosixFileAttributes posix
				&& posix.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
			return "is writable by other users (mode " + PosixFilePermissions.toString(posix.permissions()) + ")";
		}
		return null;
	}

	/**
	 * The attributes of a file, POSIX ones where the file system has them.
	 * @param path the file
	 * @param options {@link LinkOption#NOFOLLOW_LINKS} to read a link itself
	 * @return its attributes
	 * @throws IOException if they cannot be read
	 */
	static BasicFileAttributes attributes(Path path, LinkOption... options) throws IOException {
		try {
			return Files.readAttributes(path, PosixFileAttributes.class, options);
		}
		catch (UnsupportedOperationException ex) {
			return Files.readAttributes(path, BasicFileAttributes.class, options);
		}
	}

	/**
	 * Why others could replace the files of a folder that is not a secrets folder (the folder
	 * of an {@code X_FILE}): it is writable by others and has no sticky bit, as {@code /tmp} has.
	 * @param folder the folder
	 * @return the rule it breaks, or {@code null}
	 */
	static @Nullable String folderWritableByOthers(Path folder) {
		String rule = writableByOthers(folder);
		try {
			if (rule != null && Files.getAttribute(folder, "unix:mode") instanceof Integer mode
					&& (mode & STICKY_BIT) != 0) {
				return null;
			}
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
			return rule;
		}
		return rule;
	}

	/**
	 * How many names (hard links) a file has, where the file system tells.
	 * @param path a file that is not a link
	 * @return the link count, 1 when unknown
	 */
	static int linkCount(Path path) {
		try {
			return (Files.getAttribute(path, "unix:nlink", LinkOption.NOFOLLOW_LINKS) instanceof Integer count) ? count
					: 1;
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
			return 1;
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
	SecretFile read(String name, Path shown, Path target, BasicFileAttributes checked)
			throws UnusableSecretFileException {
		if (checked.isDirectory()) {
			throw new UnusableSecretFileException("is a folder where a secret file is expected",
					"Mount the secret as a file, or set secrets.include-subfolders=true to read the files inside it.");
		}
		if (!checked.isRegularFile()) {
			throw new UnusableSecretFileException("is not a regular file (a FIFO, socket or device)",
					"Mount the secret as a regular file.");
		}
		if (checked.size() > this.maxFileSize.toBytes()) {
			throw tooLarge();
		}
		return new SecretFile(name, shown, trim(decode(readBounded(target, checked))));
	}

	/**
	 * The attributes of a file, following links, or why it cannot serve as a secret.
	 */
	BasicFileAttributes attributesOf(Path path) throws UnusableSecretFileException {
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

	private BasicFileAttributes lstat(Path path) throws UnusableSecretFileException {
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
	 * Open and read on a reader thread, waiting at most the timeout. A read still blocked
	 * then is interrupted (which closes its channel); an open blocked on a FIFO is released by
	 * opening the FIFO's other end.
	 */
	private byte[] readBounded(Path target, BasicFileAttributes checked) throws UnusableSecretFileException {
		AtomicInteger state = new AtomicInteger(RUNNING);
		Future<byte[]> read = READERS.submit(() -> {
			try {
				return readOpened(target, checked);
			}
			finally {
				if (!state.compareAndSet(RUNNING, DONE)) {
					ABANDONED.decrementAndGet();
				}
			}
		});
		try {
			return read.get(this.timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			if (state.compareAndSet(RUNNING, GIVEN_UP)) {
				ABANDONED.incrementAndGet();
			}
			read.cancel(true);
			releaseFifo(target);
			throw new UnusableSecretFileException(
					"could not be read within secrets.read-timeout (" + this.timeout.toMillis() + "ms); the read was"
							+ " abandoned (was the file replaced by a FIFO, or is the mount stalled?)",
					"Mount the secret as a regular file on a local or tmpfs volume, and check what else writes to"
							+ " the secrets folder.");
		}
		catch (InterruptedException ex) {
			read.cancel(true);
			releaseFifo(target);
			Thread.currentThread().interrupt();
			throw new UnusableSecretFileException("was not read: the reading thread was interrupted",
					"Read the secrets again.");
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof UnusableSecretFileException unusable) {
				throw unusable;
			}
			if (ex.getCause() instanceof NoSuchFileException) {
				throw disappeared();
			}
			if (ex.getCause() instanceof IOException io) {
				// An open or read that failed on a path that no longer holds the file that was
				// checked: the file was swapped in between, whatever error the swap caused.
				throw stillTheCheckedFile(target, checked) ? unreadable(io) : replaced();
			}
			throw new UnusableSecretFileException("cannot be read (" + ex.getCause().getClass().getSimpleName() + ")",
					"Give the application's user read access to the file and its folder.");
		}
	}

	private byte[] readOpened(Path target, BasicFileAttributes checked) throws IOException, UnusableSecretFileException {
		SeekableByteChannel channel;
		try {
			channel = Files.newByteChannel(target, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
		}
		catch (NoSuchFileException ex) {
			throw ex;
		}
		catch (IOException ex) {
			if (Files.isSymbolicLink(target)) {
				throw replaced();
			}
			throw ex;
		}
		try (channel) {
			BasicFileAttributes opened = attributes(target, LinkOption.NOFOLLOW_LINKS);
			if (!opened.isRegularFile() || !Objects.equals(opened.fileKey(), checked.fileKey())) {
				throw replaced();
			}
			long size = channel.size();
			if (size > this.maxFileSize.toBytes()) {
				throw tooLarge();
			}
			long limit = this.maxFileSize.toBytes() + 1;
			ByteArrayOutputStream content = new ByteArrayOutputStream((int) Math.min(size + 1, limit));
			ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK, limit));
			while (content.size() < limit) {
				buffer.clear().limit((int) Math.min(buffer.capacity(), limit - content.size()));
				int count = channel.read(buffer);
				if (count < 0) {
					break;
				}
				content.write(buffer.array(), 0, count);
			}
			if (content.size() > this.maxFileSize.toBytes()) {
				throw tooLarge();
			}
			if (content.size() != size || size != checked.size()) {
				throw new UnusableSecretFileException("changed while it was being read",
						"Write secret files atomically (write a new file, then rename it into place).");
			}
			return content.toByteArray();
		}
	}

	/**
	 * Wake a reader thread stuck in {@code open()} of a FIFO by opening it for reading and
	 * writing, which never blocks on Linux. Nothing is written.
	 */
	private static void releaseFifo(Path target) {
		try {
			if (attributes(target, LinkOption.NOFOLLOW_LINKS).isOther()) {
				Files.newByteChannel(target, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)
					.close();
			}
		}
		catch (IOException | RuntimeException ex) {
			// the reader stays parked until the FIFO gets a writer; it is a daemon thread
		}
	}

	private static boolean stillTheCheckedFile(Path target, BasicFileAttributes checked) {
		return checked.isRegularFile() && sameEntry(target, checked);
	}

	/**
	 * Whether a path still names what an earlier look at it (without following links) saw.
	 * @param path the path
	 * @param seen what was seen
	 * @return whether it is the same kind of entry with the same file key
	 */
	static boolean sameEntry(Path path, BasicFileAttributes seen) {
		try {
			BasicFileAttributes now = attributes(path, LinkOption.NOFOLLOW_LINKS);
			return now.isRegularFile() == seen.isRegularFile() && now.isSymbolicLink() == seen.isSymbolicLink()
					&& Objects.equals(now.fileKey(), seen.fileKey());
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
				"Give the application's user read access to the file and its folder.");
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

	private static String decode(byte[] bytes) throws UnusableSecretFileException {
		if (isAscii(bytes)) {
			return new String(bytes, StandardCharsets.US_ASCII);
		}
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new UnusableSecretFileException("is not valid UTF-8",
					"Write the secret as UTF-8 text; encode binary keys with Base64 first.");
		}
	}

	private static boolean isAscii(byte[] bytes) {
		for (byte b : bytes) {
			if (b < 0) {
				return false;
			}
		}
		return true;
	}

	private static String trim(String text) {
		int start = (!text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK) ? 1 : 0;
		int end = text.length();
		if (text.endsWith("\r\n") && end - 2 >= start) {
			end -= 2;
		}
		else if (text.endsWith("\n") && end - 1 >= start) {
			end -= 1;
		}
		return text.substring(start, end);
	}

}
