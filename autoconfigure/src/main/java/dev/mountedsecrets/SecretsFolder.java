package dev.mountedsecrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * Lists a secrets folder and reads every secret file in it. Names starting with '.' are not
 * secrets, which also skips the {@code ..data} and {@code ..<timestamp>} entries of a
 * Kubernetes secret volume while its key links, which point into them, are read. A file
 * that links outside the folder, or that others may write to, breaks a rule.
 */
public final class SecretsFolder {

	private static final int MAX_DEPTH = 8;

	private final Path dir;

	private final ReadOptions options;

	private final SecretFileReader reader;

	/**
	 * Create a reader of one folder.
	 * @param dir the folder
	 * @param options how files are read and checked
	 */
	public SecretsFolder(Path dir, ReadOptions options) {
		this.dir = dir;
		this.options = options;
		this.reader = new SecretFileReader(options.maxFileSize());
	}

	/**
	 * Read the folder as it is now.
	 * @return what the folder holds
	 */
	public SecretsSnapshot read() {
		if (!Files.exists(this.dir)) {
			return SecretsSnapshot.missing(this.dir);
		}
		Scan scan = new Scan(realPath(this.dir));
		if (Files.isDirectory(this.dir)) {
			scan.checkPermissions(this.dir.toString(), "", SecretFileReader.writableByOthers(this.dir), this.dir);
		}
		readFolder(this.dir, "", 0, scan);
		return new SecretsSnapshot(this.dir, true, scan.secrets, scan.problems, scan.warnings);
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
		for (Path entry : entries) {
			String fileName = entry.getFileName().toString();
			if (!fileName.startsWith(".")) {
				readEntry(prefix + fileName, entry, depth, scan);
			}
		}
	}

	/**
	 * One entry: a link is checked to stay inside the folder, a folder is read if sub-folders
	 * are wanted, a file is checked and read. One {@code lstat} per plain file.
	 */
	private void readEntry(String name, Path entry, int depth, Scan scan) {
		@Nullable BasicFileAttributes attributes;
		try {
			attributes = SecretFileReader.attributes(entry, LinkOption.NOFOLLOW_LINKS);
			if (attributes.isSymbolicLink()) {
				if (!scan.insideFolder(name, entry)) {
					return;
				}
				attributes = this.reader.attributesOf(entry);
			}
		}
		catch (IOException ex) {
			attributes = null;
		}
		catch (UnusableSecretFileException ex) {
			scan.problems.add(new SecretProblem(entry.toString(), name, List.of(), ex.getMessage(), ex.getAction()));
			return;
		}
		if (attributes != null && attributes.isDirectory()) {
			if (this.options.includeSubfolders() && depth < MAX_DEPTH) {
				readFolder(entry, name + ".", depth + 1, scan);
			}
			return;
		}
		try {
			if (attributes == null) {
				attributes = this.reader.attributesOf(entry);
			}
			if (scan.checkPermissions(entry.toString(), name, SecretFileReader.writableByOthers(attributes), entry)) {
				scan.secrets.put(name, this.reader.read(name, entry, attributes));
			}
		}
		catch (UnusableSecretFileException ex) {
			scan.problems.add(new SecretProblem(entry.toString(), name, List.of(), ex.getMessage(), ex.getAction()));
		}
	}

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

		private final @Nullable Path root;

		private final Map<String, SecretFile> secrets = new TreeMap<>();

		private final List<SecretProblem> problems = new ArrayList<>();

		private final List<SecretProblem> warnings = new ArrayList<>();

		Scan(@Nullable Path root) {
			this.root = root;
		}

		/**
		 * Whether a link stays inside the folder, or may leave it; records the problem if not.
		 */
		boolean insideFolder(String name, Path link) {
			Path target = realPath(link);
			if (SecretsFolder.this.options.allowExternalLinks() || target == null || this.root == null
					|| target.startsWith(this.root)) {
				return true;
			}
			this.problems.add(new SecretProblem(link.toString(), name, List.of(),
					"links to " + target + ", outside secrets.dir",
					"Mount the secret inside secrets.dir, or set secrets.allow-external-links=true if the link is"
							+ " intended."));
			return false;
		}

		/**
		 * Apply the permission check to what {@code writableByOthers} found.
		 * @return whether the file may be used
		 */
		boolean checkPermissions(String file, String name, @Nullable String rule, Path path) {
			CheckMode mode = SecretsFolder.this.options.permissionCheck();
			if (mode == CheckMode.OFF || rule == null) {
				return true;
			}
			SecretProblem problem = new SecretProblem(file, name, List.of(), rule,
					"Run 'chmod o-w " + path + "', or set secrets.permission-check=warn.");
			if (mode == CheckMode.FAIL) {
				this.problems.add(problem);
				return false;
			}
			this.warnings.add(problem);
			return true;
		}

	}

}
