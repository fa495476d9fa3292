package dev.mountedsecrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * Lists a secrets folder and reads every secret file in it. Names starting with '.' are not
 * secrets, which also skips the {@code ..data} and {@code ..<timestamp>} entries of a
 * Kubernetes secret volume while its key links, which point into them, are read.
 * <p>
 * Every folder a secret is read from passes the permission check: the folder itself, each
 * sub-folder walked, and the folders a link's target sits in (Kubernetes'
 * {@code ..<timestamp>}). Folders are recognised by their file key, so that a link loop or a
 * second link to a folder already read is reported instead of read again. Links resolve to
 * their target, which is opened without following links (see {@link SecretFileReader}).
 * <p>
 * The folder is listed and checked first; the files that pass are then read in one go on one
 * reader thread, and their outcomes are merged in listing order, so that problems and
 * warnings come in the same order as if each file had been read where it was listed.
 */
public final class SecretsFolder {

	private static final int MAX_DEPTH = 8;

	private final Path dir;

	private final ReadOptions options;

	private final SecretFileReader reader;

	private final PermissionCheck permissions;

	private final OwnerCheck owners;

	/**
	 * Create a reader of one folder.
	 * @param dir the folder
	 * @param options how files are read and checked
	 */
	public SecretsFolder(Path dir, ReadOptions options) {
		this.dir = dir;
		this.options = options;
		this.reader = options.reader();
		this.permissions = new PermissionCheck(options.permissionCheck());
		this.owners = options.owners();
	}

	/**
	 * Read the folder as it is now.
	 * @return what the folder holds
	 */
	public SecretsSnapshot read() {
		FileFacts folder;
		boolean link;
		try {
			FileFacts itself = SecretFileReader.attributes(this.dir, LinkOption.NOFOLLOW_LINKS);
			link = itself.symbolicLink();
			folder = link ? SecretFileReader.attributes(this.dir) : itself;
		}
		catch (IOException ex) {
			return SecretsSnapshot.missing(this.dir);
		}
		try (ReaderThread early = this.reader.startEarly()) {
			Scan scan = new Scan(early);
			try {
				if (folder.directory()) {
					scan.checkPermissions(this.dir.toString(), "", SecretFileReader.writableByOthers(folder), this.dir);
					scan.checkFolderOwners(folder.uid(), link);
					scan.firstVisit(this.dir, folder.fileKey(), "");
				}
				readFolder(this.dir, "", 0, scan);
				scan.readFiles();
			}
			finally {
				scan.closePipeline();
			}
			return new SecretsSnapshot(this.dir, true, scan.secrets, scan.problems, scan.warnings);
		}
	}

	private void readFolder(Path folder, String prefix, int depth, Scan scan) {
		List<Path> entries;
		try (Stream<Path> listing = Files.list(folder)) {
			entries = listing.sorted().toList();
		}
		catch (NotDirectoryException ex) {
			scan.problems.add(new SecretProblem(folder.toString(), prefix, List.of(),
					"secrets.dir is a file, not a folder", "Set secrets.dir to the folder that holds the secret files."));
			return;
		}
		catch (NoSuchFileException ex) {
			return;
		}
		catch (IOException ex) {
			scan.problems.add(new SecretProblem(folder.toString(), prefix, List.of(),
					"the secrets folder cannot be listed (" + SecretFileReader.reason(ex) + ")",
					"Give the application's user read and execute access to the folder."));
			return;
		}
		if (depth == 0) {
			scan.startPipeline(entries.size());
		}
		for (Path entry : entries) {
			String fileName = entry.getFileName().toString();
			if (SecretProblem.hasInvisibleFormatCharacters(fileName)) {
				scan.problems.add(new SecretProblem(entry.toString(), prefix + fileName, List.of(),
						"has invisible formatting characters in its name, such as a bidirectional override"
								+ " (shown escaped)",
						"Rename the file to a name without invisible or control characters."));
			}
			else if (SecretProblem.hasControlCharacters(fileName)) {
				scan.problems.add(new SecretProblem(entry.toString(), prefix + fileName, List.of(),
						"has control characters in its name (shown escaped)",
						"Rename the file to a name without control characters."));
			}
			else if (!fileName.startsWith(".")) {
				readEntry(prefix + fileName, entry, depth, scan);
			}
		}
	}

	/**
	 * One entry: a link is checked to stay inside the folder (and the folders it leads
	 * through to be safe), a folder is read if sub-folders are wanted, a file is checked and
	 * read through what the link resolved to.
	 */
	private void readEntry(String name, Path entry, int depth, Scan scan) {
		FileFacts attributes;
		FileFacts listed = null;
		Path target = entry;
		try {
			attributes = SecretFileReader.attributes(entry, LinkOption.NOFOLLOW_LINKS);
			listed = attributes;
			if (attributes.symbolicLink()) {
				Path resolved = realPath(entry);
				if (resolved == null) {
					this.reader.attributesOf(entry);
					throw new UnusableSecretFileException("is a symbolic link that cannot be resolved",
							"Fix the link or mount the secret again.");
				}
				if (!scan.insideFolder(name, entry, resolved) || !scan.foldersOfTargetSafe(name, entry, resolved)) {
					return;
				}
				target = resolved;
				attributes = SecretFileReader.attributes(target, LinkOption.NOFOLLOW_LINKS);
				if (attributes.symbolicLink()) {
					// A resolved path ends in no link: the entry changed between the two looks,
					// and what is there now was never checked.
					throw SecretFileReader.replaced();
				}
			}
			if (attributes.directory()) {
				readSubfolder(name, entry, target, attributes, depth, scan);
				return;
			}
			if (scan.checkPermissions(entry.toString(), name, SecretFileReader.writableByOthers(attributes), entry)
					&& scan.checkOwner(entry.toString(), name, target, attributes)) {
				scan.toRead(new SecretFileReader.Request(name, entry, target, attributes));
			}
		}
		catch (IOException ex) {
			if (listed != null && !SecretFileReader.sameEntry(entry, listed)) {
				// Swapped between the listing and the read: whatever error the swap caused.
				UnusableSecretFileException replaced = SecretFileReader.replaced();
				scan.problems.add(new SecretProblem(entry.toString(), name, List.of(), replaced.getMessage(),
						replaced.getAction()));
				return;
			}
			scan.problems.add(new SecretProblem(entry.toString(), name, List.of(),
					"cannot be read (" + SecretFileReader.reason(ex) + ")",
					"Give the application's user read access to the file and its folder."));
		}
		catch (UnusableSecretFileException ex) {
			scan.problems.add(new SecretProblem(entry.toString(), name, List.of(), ex.getMessage(), ex.getAction()));
		}
	}

	private void readSubfolder(String name, Path entry, Path target, FileFacts attributes, int depth,
			Scan scan) {
		if (!this.options.includeSubfolders()) {
			return;
		}
		if (depth >= MAX_DEPTH) {
			scan.warnings.add(new SecretProblem(entry.toString(), name, List.of(),
					"is more than " + MAX_DEPTH + " folders below secrets.dir; the files in it are not read",
					"Move these secrets closer to secrets.dir."));
			return;
		}
		if (scan.checkPermissions(entry.toString(), name, SecretFileReader.writableByOthers(attributes), target)
				&& scan.checkOwner(entry.toString(), name, target, true) && scan.firstVisit(entry, target, name)) {
			readFolder(target, name + ".", depth + 1, scan);
		}
	}

	/**
	 * For a file that cannot be read: the other names listed for the very same file (same file
	 * key), if any. Docker Swarm mounts a secret used at two targets of one service as one file,
	 * with the owner and mode of only one of the two references, so the {@code uid} and
	 * {@code mode} set for this name may not be the ones it has.
	 * @param request the file that cannot be read
	 * @param requests every file listed in this read
	 * @return a sentence to add to the action, or an empty string
	 */
	static String sameFileHint(SecretFileReader.Request request, List<SecretFileReader.Request> requests) {
		Object key = request.checked().fileKey();
		if (key == null) {
			return "";
		}
		List<String> others = requests.stream()
			.filter((other) -> other != request && key.equals(other.checked().fileKey()))
			.map((other) -> other.shown().toString())
			.toList();
		if (others.isEmpty()) {
			return "";
		}
		return " It is one file with " + String.join(", ", others) + " (Docker Swarm mounts a secret used at two"
				+ " targets as one file, with the uid, gid and mode of one of the two only): give every target of"
				+ " that secret the same uid, gid and mode.";
	}

	private static final boolean LINUX = System.getProperty("os.name", "").startsWith("Linux");

	private static @Nullable Path realPath(Path path) {
		try {
			return path.toRealPath();
		}
		catch (IOException ex) {
			return null;
		}
	}

	/**
	 * What one read found so far.
	 */
	private final class Scan {

		/** The folder's real path, resolved when the first link is checked against it. */
		private @Nullable Path root;

		private boolean rootResolved;

		private final Map<String, SecretFile> secrets = new TreeMap<>();

		private List<SecretProblem> problems = new ArrayList<>();

		private List<SecretProblem> warnings = new ArrayList<>();

		/** Files checked and waiting to be read, with how many problems and warnings came before. */
		private final List<SecretFileReader.Request> requests = new ArrayList<>();

		private final List<int[]> positions = new ArrayList<>();

		/** The reader thread woken when the read began. */
		private final ReaderThread early;

		/**
		 * The files checked so far read on that thread while the others are checked;
		 * {@code null} until secrets.dir is listed.
		 */
		private SecretFileReader.@Nullable Pipeline pipeline;

		/** Folders read so far, by file key, with the path they were first read by. */
		private final Map<Object, Path> visited = new HashMap<>();

		/** The permission rule each folder a link leads through breaks, "" for none. */
		private final Map<Path, String> folderRules = new HashMap<>();

		Scan(ReaderThread early) {
			this.early = early;
		}

		private @Nullable Path root() {
			if (!this.rootResolved) {
				this.root = realPath(SecretsFolder.this.dir);
				this.rootResolved = true;
			}
			return this.root;
		}

		/**
		 * Whether a link stays inside the folder, or may leave it; records the problem if not.
		 */
		boolean insideFolder(String name, Path link, Path target) {
			Path root = root();
			if (SecretsFolder.this.options.allowExternalLinks() || root == null || target.startsWith(root)) {
				return true;
			}
			this.problems.add(new SecretProblem(link.toString(), name, List.of(),
					"links to " + target + ", outside secrets.dir",
					"Mount the secret inside secrets.dir, or set secrets.allow-external-links=true if the link is"
							+ " intended."));
			return false;
		}

		/**
		 * Whether the folders between secrets.dir and a link's target pass the permission
		 * check; for a target outside, its own folder (where a sticky bit, as on {@code /tmp},
		 * keeps others from replacing the file).
		 */
		boolean foldersOfTargetSafe(String name, Path link, Path target) {
			Path parent = target.getParent();
			Path root = root();
			if (root == null || !target.startsWith(root)) {
				return parent == null || folderSafe(name, link, parent, SecretFileReader::folderWritableByOthers);
			}
			for (Path folder = parent; folder != null && folder.startsWith(root)
					&& !folder.equals(root); folder = folder.getParent()) {
				if (!folderSafe(name, link, folder, SecretFileReader::writableByOthers)) {
					return false;
				}
			}
			return true;
		}

		private boolean folderSafe(String name, Path link, Path folder, Function<Path, @Nullable String> check) {
			String rule = this.folderRules.computeIfAbsent(folder, (path) -> {
				String broken = check.apply(path);
				return (broken != null) ? broken : "";
			});
			return (rule.isEmpty()
					|| checkPermissions(link.toString(), name, "links into " + folder + ", which " + rule, folder))
					&& checkOwner(link.toString(), name, folder, false);
		}

		/**
		 * Whether a folder is read for the first time; records a loop if not.
		 */
		boolean firstVisit(Path entry, Path folder, String name) {
			try {
				return firstVisit(entry, Files.readAttributes(folder, BasicFileAttributes.class).fileKey(), name);
			}
			catch (IOException ex) {
				return true;
			}
		}

		/**
		 * Whether a folder with the given file key is read for the first time; records a loop
		 * if not.
		 */
		boolean firstVisit(Path entry, @Nullable Object key, String name) {
			if (key == null) {
				return true;
			}
			Path first = this.visited.putIfAbsent(key, entry);
			if (first == null) {
				return true;
			}
			this.problems.add(new SecretProblem(entry.toString(), name, List.of(),
					"leads to a folder already read as " + first + " (a link loop, or a second link to that folder)",
					"Remove the link, or point it at a folder that is not read already."));
			return false;
		}

		void toRead(SecretFileReader.Request request) {
			this.requests.add(request);
			this.positions.add(new int[] { this.problems.size(), this.warnings.size() });
			// A file the pipeline has no room for is read with the rest, once all are checked;
			// it never has room again, so it takes the files checked first.
			Objects.requireNonNull(this.pipeline).offer(request);
		}

		/**
		 * Start reading the files of secrets.dir on the reader thread as they are checked:
		 * as many as {@link ReaderThread#streamed} gives for its number of entries.
		 */
		void startPipeline(int entries) {
			this.pipeline = SecretsFolder.this.reader.pipeline(ReaderThread.streamed(entries), this.early);
		}

		/**
		 * The outcome of every file checked, in order: those handed to the pipeline, then
		 * the rest, read on a thread of their own meanwhile.
		 */
		private Object[] readAll() {
			SecretFileReader.Pipeline streamed = Objects.requireNonNull(this.pipeline);
			int handed = streamed.size();
			List<SecretFileReader.Request> after = this.requests.subList(handed, this.requests.size());
			SecretFileReader.Reading rest = after.isEmpty() ? null
					: SecretsFolder.this.reader.startReading(List.copyOf(after));
			Object[] results = Arrays.copyOf(streamed.results(), this.requests.size());
			if (rest != null) {
				Object[] others = SecretsFolder.this.reader.results(rest);
				System.arraycopy(others, 0, results, handed, others.length);
			}
			return results;
		}

		/**
		 * Let the pipeline's reader thread return, whatever happened to the read.
		 */
		void closePipeline() {
			if (this.pipeline != null) {
				this.pipeline.close();
			}
		}

		/**
		 * Read every file waiting (most are read already, as they were checked), then put
		 * their outcomes where each was listed.
		 */
		void readFiles() {
			if (this.requests.isEmpty()) {
				return;
			}
			Object[] results = readAll();
			List<SecretProblem> listedProblems = this.problems;
			List<SecretProblem> listedWarnings = this.warnings;
			this.problems = new ArrayList<>(listedProblems.size());
			this.warnings = new ArrayList<>(listedWarnings.size());
			int problem = 0;
			int warning = 0;
			for (int i = 0; i < results.length; i++) {
				int[] position = this.positions.get(i);
				while (problem < position[0]) {
					this.problems.add(listedProblems.get(problem++));
				}
				while (warning < position[1]) {
					this.warnings.add(listedWarnings.get(warning++));
				}
				SecretFileReader.Request request = this.requests.get(i);
				if (results[i] instanceof SecretFileReader.Read read) {
					add(read.secret(), read.links(), request.target());
				}
				else if (results[i] instanceof UnusableSecretFileException ex) {
					String action = ex.isUnreadable() ? ex.getAction() + sameFileHint(request, this.requests)
							: ex.getAction();
					this.problems.add(new SecretProblem(request.shown().toString(), request.name(), List.of(),
							ex.getMessage(), action));
				}
			}
			this.problems.addAll(listedProblems.subList(problem, listedProblems.size()));
			this.warnings.addAll(listedWarnings.subList(warning, listedWarnings.size()));
		}

		/**
		 * Keep a secret that was read, unless another file already has its name; warn when the
		 * file has other names (hard links) outside a Kubernetes layout.
		 */
		void add(SecretFile secret, int links, Path target) {
			SecretFile other = this.secrets.get(secret.name());
			String otherFile = (other != null) ? other.path().toString()
					: this.problems.isEmpty() ? null : this.problems.stream()
						.filter((problem) -> problem.name().equals(secret.name()))
						.map(SecretProblem::file)
						.findFirst()
						.orElse(null);
			if (otherFile != null) {
				this.secrets.remove(secret.name());
				this.problems.add(new SecretProblem(secret.path().toString(), secret.name(), List.of(),
						"has the same secret name (" + secret.name() + ") as " + otherFile,
						"Rename one of the two files; sub-folder files are named with '.' between the parts."));
				return;
			}
			this.secrets.put(secret.name(), secret);
			if (links > 1 && !inKubernetesLayout(target)) {
				this.warnings.add(new SecretProblem(secret.path().toString(), secret.name(), List.of(),
						"has " + links + " hard links: a name elsewhere, possibly outside secrets.dir, can change it",
						"Copy the secret into its own file ('cp', not 'ln') so that only secrets.dir holds it."));
			}
		}

		private boolean inKubernetesLayout(Path target) {
			Path root = root();
			return root != null && target.startsWith(root) && target.getNameCount() > root.getNameCount()
					&& root.relativize(target).getName(0).toString().startsWith("..");
		}

		/**
		 * Apply the owner rule to secrets.dir and every folder above it: whoever owns one of
		 * them can put another folder in its place. Nothing is refused for it: the problem
		 * (or warning) is recorded.
		 * @param owner the uid that owns secrets.dir (as looked at through any link),
		 * {@code null} when unknown
		 */
		void checkFolderOwners(@Nullable Long owner, boolean link) {
			OwnerCheck owners = SecretsFolder.this.owners;
			List<@Nullable Long> above = (owners.applies() && !link) ? ownersAboveWithoutLinks() : null;
			Path root = root();
			if (root == null) {
				return;
			}
			owners.allows(root.toString(), "", root, true, owner, this.problems, this.warnings);
			int index = 0;
			for (Path folder = root.getParent(); folder != null; folder = folder.getParent()) {
				if (above != null) {
					owners.checkAbove(folder, above.get(index++), this.problems, this.warnings);
				}
				else {
					owners.checkAbove(folder, this.problems, this.warnings);
				}
			}
		}

		/**
		 * The owners of the folders above secrets.dir, nearest first, looked at without
		 * following links, when secrets.dir is absolute and normalized and none of them is a
		 * link: secrets.dir (no link either) is then its own real path, found with one look
		 * per folder, as the owner rule needs them, and no {@code realpath} (a
		 * {@code readlink} of every folder on the way). On Linux only: elsewhere the real path
		 * may also differ in case (macOS) or through a junction (Windows).
		 * @return the owners, {@code null} if a folder above is a link or cannot be looked at
		 */
		private @Nullable List<@Nullable Long> ownersAboveWithoutLinks() {
			Path dir = SecretsFolder.this.dir;
			if (!LINUX || !dir.isAbsolute() || !dir.equals(dir.normalize())) {
				return null;
			}
			List<@Nullable Long> owners = new ArrayList<>();
			for (Path folder = dir.getParent(); folder != null; folder = folder.getParent()) {
				try {
					FileFacts facts = SecretFileReader.attributes(folder, LinkOption.NOFOLLOW_LINKS);
					if (!facts.directory()) {
						return null;
					}
					owners.add(facts.uid());
				}
				catch (IOException ex) {
					return null;
				}
			}
			this.root = dir;
			this.rootResolved = true;
			return owners;
		}

		/**
		 * Apply the owner rule to a file or folder that is not a link.
		 * @param file the file as shown
		 * @param name the secret's name
		 * @param path the file, the target of the link {@code file}, or the folder it is in
		 * @param itself whether {@code path} is the file (or link target) rather than its folder
		 * @return whether the file may be used
		 */
		boolean checkOwner(String file, String name, Path path, boolean itself) {
			return SecretsFolder.this.owners.allows(file, name, path, itself, this.problems, this.warnings,
					LinkOption.NOFOLLOW_LINKS);
		}

		/**
		 * Apply the owner rule to a file (or a link's target) looked at already.
		 * @param file the file as shown
		 * @param name the secret's name
		 * @param path the file, or the target of the link {@code file}
		 * @param facts what the look at {@code path} found
		 * @return whether the file may be used
		 */
		boolean checkOwner(String file, String name, Path path, FileFacts facts) {
			return (facts.uid() != null) ? SecretsFolder.this.owners.allows(file, name, path, true, facts.uid(),
					this.problems, this.warnings) : checkOwner(file, name, path, true);
		}

		/**
		 * Apply the permission check to what {@code writableByOthers} found.
		 * @return whether the file may be used
		 */
		boolean checkPermissions(String file, String name, @Nullable String rule, Path path) {
			return SecretsFolder.this.permissions.allows(file, name, rule, path, this.problems, this.warnings);
		}

	}

}
