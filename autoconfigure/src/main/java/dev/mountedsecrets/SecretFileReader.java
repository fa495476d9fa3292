package dev.mountedsecrets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

/**
 * Reads one secret file: strictly UTF-8, a leading BOM dropped, exactly one trailing
 * {@code \n} or {@code \r\n} removed, everything else kept as written (PEM blocks included).
 */
public final class SecretFileReader {

	private static final char BYTE_ORDER_MARK = '\uFEFF';

	private final DataSize maxFileSize;

	/**
	 * Create a reader that refuses files larger than the given size.
	 * @param maxFileSize the largest file accepted
	 */
	public SecretFileReader(DataSize maxFileSize) {
		this.maxFileSize = maxFileSize;
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

	SecretFile read(String name, Path path) throws UnusableSecretFileException {
		return read(name, path, attributesOf(path));
	}

	/**
	 * Read a file whose attributes, following links, are already known.
	 */
	SecretFile read(String name, Path path, BasicFileAttributes attributes) throws UnusableSecretFileException {
		if (attributes.isDirectory()) {
			throw new UnusableSecretFileException("is a folder where a secret file is expected",
					"Mount the secret as a file, or set secrets.include-subfolders=true to read the files inside it.");
		}
		if (!attributes.isRegularFile()) {
			throw new UnusableSecretFileException("is not a regular file (a FIFO, socket or device)",
					"Mount the secret as a regular file.");
		}
		if (attributes.size() > this.maxFileSize.toBytes()) {
			throw tooLarge();
		}
		byte[] bytes = readBytes(path);
		if (bytes.length > this.maxFileSize.toBytes()) {
			throw tooLarge();
		}
		return new SecretFile(name, path, trim(decode(bytes)));
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

	private byte[] readBytes(Path path) throws UnusableSecretFileException {
		try {
			return Files.readAllBytes(path);
		}
		catch (NoSuchFileException ex) {
			throw new UnusableSecretFileException("disappeared while it was being read",
					"Check what removes the file; mount the secret again.");
		}
		catch (IOException ex) {
			throw unreadable(ex);
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

	private UnusableSecretFileException unreadable(IOException ex) {
		return new UnusableSecretFileException("cannot be read (" + reason(ex) + ")",
				"Give the application's user read access to the file and its folder.");
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
