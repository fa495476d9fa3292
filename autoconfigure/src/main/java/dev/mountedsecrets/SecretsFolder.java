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

/**
 * Lists a secrets folder and reads every secret file in it. Names starting with '.' are not
 * secrets, which also skips the {@code ..data} and {@code ..<timestamp>} entries of a
 * Kubernetes secret volume while its key links, which point into them, are read.
 */
public final class SecretsFolder {

	private static final int MAX_DEPTH = 8;

	private final Path dir;

	private final SecretFileReader reader;

	private final boolean includeSubfolders;

	/**
	 * Create a reader of one folder.
	 * @param dir the folder
	 * @param reader how each file is read
	 * @param includeSubfolders whether files in sub-folders are secrets too
	 */
	public SecretsFolder(Path dir, SecretFileReader reader, boolean includeSubfolders) {
		this.dir = dir;
		this.reader = reader;
		this.includeSubfolders = includeSubfolders;
	}

	/**
	 * Read the folder as it is now.
	 * @return what the folder holds
	 */
	public SecretsSnapshot read() {
		if (!Files.exists(this.dir)) {
			return SecretsSnapshot.missing(this.dir);
		}
		Map<String, SecretFile> secrets = new TreeMap<>();
		List<SecretProblem> problems = new ArrayList<>();
		readFolder(this.dir, "", 0, secrets, problems);
		return new SecretsSnapshot(this.dir, true, secrets, problems);
	}

	private void readFolder(Path folder, String prefix, int depth, Map<String, SecretFile> secrets,
			List<SecretProblem> problems) {
		List<Path> entries;
		try (Stream<Path> listing = Files.list(folder)) {
			entries = listing.sorted().toList();
		}
		catch (NotDirectoryException ex) {
			problems.add(new SecretProblem(folder.toString(), prefix, List.of(), "secrets.dir is a file, not a folder",
					"Set secrets.dir to the folder that holds the secret files."));
			return;
		}
		catch (NoSuchFileException ex) {
			return;
		}
		catch (IOException ex) {
			String reason = (ex instanceof AccessDeniedException) ? "permission denied" : ex.getClass().getSimpleName();
			problems.add(new SecretProblem(folder.toString(), prefix, List.of(),
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
				if (this.includeSubfolders && depth < MAX_DEPTH) {
					readFolder(entry, name + ".", depth + 1, secrets, problems);
				}
				continue;
			}
			try {
				secrets.put(name, this.reader.read(name, entry));
			}
			catch (UnusableSecretFileException ex) {
				problems.add(new SecretProblem(entry.toString(), name, List.of(), ex.getMessage(), ex.getAction()));
			}
		}
	}

}
