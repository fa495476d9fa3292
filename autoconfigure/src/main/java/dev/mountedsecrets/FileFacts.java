package dev.mountedsecrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What one {@code stat} (or {@code lstat}) of a file tells the checks: its kind, size and
 * identity, and, where the file system has them, its mode, owner and link count. The
 * permission and owner checks and the identity check after the open all use one look each,
 * not one per check; only what they use is asked for (the {@code unix} view builds every
 * attribute asked for, and the owner's name would cost a user database lookup).
 *
 * @param regularFile whether it is a regular file
 * @param directory whether it is a folder
 * @param symbolicLink whether it is a link (when looked at without following links)
 * @param size its size in bytes
 * @param fileKey its identity (device and inode), {@code null} where the file system has none
 * @param mode its mode bits, {@code null} where the file system has none
 * @param uid the uid that owns it, {@code null} where the file system does not tell
 * @param links how many names (hard links) it has, 1 where the file system does not tell
 */
record FileFacts(boolean regularFile, boolean directory, boolean symbolicLink, long size, @Nullable Object fileKey,
		@Nullable Integer mode, @Nullable Long uid, int links) {

	private static final String UNIX = "unix:mode,uid,nlink,size,fileKey";

	private static final int TYPE = 0170000;

	private static final int REGULAR = 0100000;

	private static final int DIRECTORY = 0040000;

	private static final int LINK = 0120000;

	private static final int STICKY_BIT = 01000;

	private static final int OTHERS_WRITE = 02;

	private static final PosixFilePermission[] BITS = { PosixFilePermission.OTHERS_EXECUTE,
			PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE,
			PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE,
			PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ };

	/**
	 * Look at a file once.
	 * @param path the file
	 * @param options {@link LinkOption#NOFOLLOW_LINKS} to look at a link itself
	 * @return what the look found
	 * @throws IOException if the file cannot be looked at
	 */
	static FileFacts of(Path path, LinkOption... options) throws IOException {
		Map<String, Object> unix;
		try {
			unix = Files.readAttributes(path, UNIX, options);
		}
		catch (UnsupportedOperationException | IllegalArgumentException ex) {
			return of(Files.readAttributes(path, BasicFileAttributes.class, options));
		}
		int mode = (Integer) unix.get("mode");
		int type = mode & TYPE;
		return new FileFacts(type == REGULAR, type == DIRECTORY, type == LINK, (Long) unix.get("size"),
				unix.get("fileKey"), mode, Integer.toUnsignedLong((Integer) unix.get("uid")),
				(Integer) unix.get("nlink"));
	}

	/**
	 * What attributes read elsewhere tell: mode, owner and link count unknown.
	 * @param basic the attributes
	 * @return the facts they give
	 */
	static FileFacts of(BasicFileAttributes basic) {
		return new FileFacts(basic.isRegularFile(), basic.isDirectory(), basic.isSymbolicLink(), basic.size(),
				basic.fileKey(), null, null, 1);
	}

	/**
	 * Whether users other than the owner and the group may write to the file.
	 * @return {@code false} also where the file system has no such permission
	 */
	boolean writableByOthers() {
		return this.mode != null && (this.mode & OTHERS_WRITE) != 0;
	}

	/**
	 * Whether the sticky bit is set (as on {@code /tmp}: only a file's owner may rename or
	 * remove it).
	 * @return {@code false} also where the file system has no such bit
	 */
	boolean sticky() {
		return this.mode != null && (this.mode & STICKY_BIT) != 0;
	}

	/**
	 * The permission bits.
	 * @return the permissions, empty where the file system has none
	 */
	Set<PosixFilePermission> permissions() {
		Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
		for (int bit = 0; this.mode != null && bit < BITS.length; bit++) {
			if ((this.mode & (1 << bit)) != 0) {
				permissions.add(BITS[bit]);
			}
		}
		return permissions;
	}

	/**
	 * Whether a later look shows the same kind of entry with the same identity.
	 * @param later the later look
	 * @return whether it is the same entry
	 */
	boolean sameEntryAs(FileFacts later) {
		return later.regularFile == this.regularFile && later.symbolicLink == this.symbolicLink
				&& java.util.Objects.equals(later.fileKey, this.fileKey);
	}

}
