package dev.mountedsecrets.reload;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.mountedsecrets.SecretProblem;
import org.jspecify.annotations.Nullable;

/**
 * What a poll compares instead of reading contents: every name in the secrets folder (and its
 * sub-folders when they are read), each link's text, and for each file, through its links,
 * its identity (device and inode), size, mode, mtime and ctime, with the mode of the folder a
 * link leads into.
 * <p>
 * Why this sees every change: the kernel sets a file's ctime to the current time on every
 * write, truncate, chmod, chown, link, unlink and rename of it, and no user can set it back
 * (mtime can be set with {@code touch -d}, ctime cannot). A replaced file has another inode,
 * or, if its inode number was reused, a new ctime. The one gap is the timestamps' granularity
 * (a clock tick on Linux, up to 2 s on some file systems): two same-size writes within one
 * tick leave the same ctime. So a fingerprint is trusted only when it is settled: every file
 * timestamp in it is older than {@link #SETTLE_MILLIS} before the fingerprint was taken. Any
 * write after that gets a later timestamp. Until then, every poll reads contents. Limits: a
 * system clock set back by more than that, and file systems that do not keep ctime (some
 * FUSE mounts); where the {@code unix} attribute view is missing there is no fingerprint and
 * every poll reads contents.
 */
final class FolderFingerprint {

	/** Age a file timestamp must have before an unchanged fingerprint is trusted. */
	static final long SETTLE_MILLIS = 2000;

	private static final int MAX_DEPTH = 8;

	private static final String FILE_ATTRIBUTES = "unix:mode,ino,dev,size,lastModifiedTime,ctime";

	private static final String FOLDER_ATTRIBUTES = "unix:mode,ino,dev";

	private final Map<String, State> entries;

	/** Names whose file timestamps were too recent to rule out a change they do not show. */
	private final Set<String> unsettled;

	private FolderFingerprint(Map<String, State> entries, Set<String> unsettled) {
		this.entries = entries;
		this.unsettled = unsettled;
	}

	/**
	 * Take the fingerprint of a folder as it is now.
	 * @param dir the secrets folder
	 * @param includeSubfolders whether sub-folders are read
	 * @return the fingerprint, or {@code null} where the file system has no {@code unix} view
	 */
	static @Nullable FolderFingerprint take(Path dir, boolean includeSubfolders) {
		return take(dir, includeSubfolders, SETTLE_MILLIS);
	}

	/**
	 * Take the fingerprint of a folder as it is now.
	 * @param dir the secrets folder
	 * @param includeSubfolders whether sub-folders are read
	 * @param settleMillis age a file timestamp must have for the fingerprint to be settled
	 * @return the fingerprint, or {@code null} where the file system has no {@code unix} view
	 */
	static @Nullable FolderFingerprint take(Path dir, boolean includeSubfolders, long settleMillis) {
		Walk walk = new Walk(includeSubfolders, System.currentTimeMillis() - settleMillis);
		try {
			Map<String, Object> root = walk.attributes(dir, FOLDER_ATTRIBUTES);
			walk.entries.put("", new State(null, root, null, ""));
			if (root.get("mode") instanceof Integer mode && (mode & 0170000) == 0040000) {
				walk.folder(dir, "", "", 0);
			}
		}
		catch (IOException ex) {
			walk.entries.put("", new State(null, Map.of("failure", ex.getClass().getName()), null, ""));
		}
		catch (UnsupportedOperationException | IllegalArgumentException ex) {
			return null;
		}
		return new FolderFingerprint(walk.entries, walk.unsettled);
	}

	/**
	 * Whether an unchanged fingerprint may be trusted to mean unchanged contents.
	 * @return whether every file timestamp was old enough when it was taken
	 */
	boolean settled() {
		return this.unsettled.isEmpty();
	}

	/**
	 * Whether the change since an earlier fingerprint is an atomic swap, as Kubernetes makes
	 * it: a top-level dot link ({@code ..data}) points elsewhere, and every secret that changed
	 * or appeared is read through that link, by a link whose text did not change. Such a
	 * change is complete when it becomes visible. Anything else (a file written in place, a
	 * mode changed, a new regular file) is not.
	 * @param before the earlier fingerprint
	 * @return whether the change is one atomic swap
	 */
	boolean isAtomicSwapFrom(FolderFingerprint before) {
		Set<String> names = new HashSet<>(this.entries.keySet());
		names.addAll(before.entries.keySet());
		Set<String> swapped = new HashSet<>();
		Set<String> changed = new HashSet<>();
		for (String name : names) {
			State now = this.entries.get(name);
			State then = before.entries.get(name);
			if (name.startsWith(".")) {
				if (now == null || then == null || !Objects.equals(now.link, then.link)) {
					swapped.add(name);
				}
			}
			else if (now != null && !now.equals(then)) {
				changed.add(name);
			}
		}
		if (swapped.isEmpty() || changed.isEmpty()) {
			return false;
		}
		// A file whose timestamps were too recent may have changed without showing it.
		changed.addAll(before.unsettled);
		for (String name : changed) {
			State now = this.entries.get(name);
			State top = (now != null) ? this.entries.get(now.topLevel) : null;
			State topThen = (now != null) ? before.entries.get(now.topLevel) : null;
			if (top == null || top.link == null || (topThen != null && !top.link.equals(topThen.link))
					|| !swapped.contains(firstName(top.link))) {
				return false;
			}
		}
		return true;
	}

	private static String firstName(String link) {
		Path first = Path.of(link).normalize();
		return (first.getNameCount() > 0) ? first.getName(0).toString() : "";
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof FolderFingerprint fingerprint && this.entries.equals(fingerprint.entries);
	}

	@Override
	public int hashCode() {
		return this.entries.hashCode();
	}

	@Override
	public String toString() {
		return "FolderFingerprint[entries=" + this.entries.size() + ", unsettled=" + this.unsettled.size() + "]";
	}

	/**
	 * One name: its link text, the attributes of what it leads to, the mode of the folder a
	 * link leads into, and the top-level name it is reached through.
	 */
	private record State(@Nullable String link, @Nullable Map<String, Object> attributes,
			@Nullable Object targetFolderMode, String topLevel) {

	}

	/**
	 * One walk of the folder.
	 */
	private static final class Walk {

		private final boolean includeSubfolders;

		private final Map<String, State> entries = new HashMap<>();

		private final Set<Object> visited = new HashSet<>();

		private final Set<String> unsettled = new HashSet<>();

		private final long settledBefore;

		Walk(boolean includeSubfolders, long settledBefore) {
			this.includeSubfolders = includeSubfolders;
			this.settledBefore = settledBefore;
		}

		void folder(Path folder, String prefix, String topLevel, int depth) {
			try (DirectoryStream<Path> listing = Files.newDirectoryStream(folder)) {
				for (Path entry : listing) {
					String fileName = entry.getFileName().toString();
					String name = prefix + fileName;
					String top = (depth == 0) ? name : topLevel;
					if (fileName.startsWith(".")) {
						// Only links (..data) and names the read reports matter; a timestamped
						// folder is reached through the links.
						String link = link(entry);
						if (link != null || SecretProblem.hasControlCharacters(fileName)) {
							this.entries.put(name, new State(link, null, null, top));
						}
					}
					else {
						entry(entry, name, top, depth);
					}
				}
			}
			catch (IOException ex) {
				this.entries.put(prefix + "/", new State(null, Map.of("failure", ex.getClass().getName()), null,
						topLevel));
			}
		}

		private void entry(Path entry, String name, String top, int depth) {
			String link = link(entry);
			Map<String, Object> attributes;
			try {
				attributes = attributes(entry, FILE_ATTRIBUTES);
			}
			catch (IOException ex) {
				this.entries.put(name, new State(link, Map.of("failure", ex.getClass().getName()), null, top));
				return;
			}
			Object targetFolderMode = null;
			if (link != null) {
				Path targetFolder = entry.resolveSibling(link).getParent();
				targetFolderMode = (targetFolder != null) ? mode(targetFolder) : null;
			}
			boolean folder = attributes.get("mode") instanceof Integer mode && (mode & 0170000) == 0040000;
			if (folder) {
				attributes.remove("lastModifiedTime");
				attributes.remove("ctime");
			}
			else if (Math.max(millis(attributes.get("lastModifiedTime")), millis(attributes.get("ctime")))
					>= this.settledBefore) {
				this.unsettled.add(name);
			}
			this.entries.put(name, new State(link, attributes, targetFolderMode, top));
			if (folder && this.includeSubfolders && depth + 1 <= MAX_DEPTH
					&& this.visited.add(Arrays.asList(attributes.get("dev"), attributes.get("ino")))) {
				folder(entry, name + ".", top, depth + 1);
			}
		}

		Map<String, Object> attributes(Path path, String names) throws IOException {
			return new HashMap<>(Files.readAttributes(path, names));
		}

		private @Nullable Object mode(Path folder) {
			try {
				return Files.getAttribute(folder, "unix:mode");
			}
			catch (IOException ex) {
				return ex.getClass().getName();
			}
		}

		private static @Nullable String link(Path entry) {
			if (!Files.isSymbolicLink(entry)) {
				return null;
			}
			try {
				return Files.readSymbolicLink(entry).toString();
			}
			catch (IOException ex) {
				return "";
			}
		}

		private static long millis(@Nullable Object time) {
			return (time instanceof FileTime fileTime) ? fileTime.toMillis() : Long.MAX_VALUE;
		}

	}

}
