package dev.mountedsecrets;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import dev.mountedsecrets.autoconfigure.SecretsProperties.CheckMode;
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
			scan.checkPermissions(this.dir.toString(), "", this.dir);
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
			String reason = (ex instanceof AccessDeniedException) ? "permission denied" : ex.getClass().getSimpleName();
			scan.problems.add(new SecretProblem(folder.toString(), prefix, List.of(),
					"the secrets folder cannot be listed (" + reason + ")",
					"Give the application's user read and execute access to the folder."));
			return;
		}
		for (Path entry : entries) {
			String fileName = entry.getFileName().toString();
			if (fileName.startsWith(".")) {
				continue;
			}
			String name = prefix + fileName;
			if (Files.isDirectory(entry)) {
				if (this.options.includeSubfolders() && depth < MAX_DEPTH) {
					readFolder(entry, name + ".", depth + 1, scan);
				}
				continue;
			}
			readFile(name, entry, scan);
		}
	}

	private void readFile(String name, Path entry, Scan scan) {
		Path target = realPath(entry);
		if (!this.options.allowExternalLinks() && target != null && scan.root != null && !target.startsWith(scan.root)) {
			scan.problems.add(new SecretProblem(entry.toString(), name, List.of(),
					"links to " + target + ", outside secrets.dir",
					"Mount the secret inside secrets.dir, or set secrets.allow-external-links=true if the link is"
							+ " intended."));
			return;
		}
		if (!scan.checkPermissions(entry.toString(), name, entry)) {
			return;
		}
		try {
			scan.secrets.put(name, this.reader.read(name, entry));
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
		 * Check who may write to a file or folder.
		 * @return whether the file may be used
		 */
		boolean checkPermissions(String file, String name, Path path) {
			CheckMode mode = SecretsFolder.this.options.permissionCheck();
			String rule = (mode != CheckMode.OFF) ? SecretFileReader.writableByOthers(path) : null;
			if (rule == null) {
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
