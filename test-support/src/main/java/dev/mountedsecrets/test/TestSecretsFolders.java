package dev.mountedsecrets.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Makes and removes the private folders of declared secrets. The content of a declaration is
 * made once (random values included), so every folder made for it, and the context cached
 * for it, holds the same values. Folders still present when the JVM ends are removed then.
 */
final class TestSecretsFolders {

	/** Folder: owner only. */
	static final Set<PosixFilePermission> FOLDER_MODE = PosixFilePermissions.fromString("rwx------");

	/** File: owner reads and writes. */
	static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

	private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

	private static final Map<SecretsDeclaration, Map<String, byte[]>> CONTENTS = new ConcurrentHashMap<>();

	private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(TestSecretsFolders::delete),
				"mounted-secrets-test-cleanup"));
	}

	private TestSecretsFolders() {
	}

	/**
	 * Make a new private folder holding the declared secrets.
	 * @param declaration the declared secrets
	 * @return the folder
	 */
	static Path create(SecretsDeclaration declaration) {
		Map<String, byte[]> contents = CONTENTS.computeIfAbsent(declaration, SecretsDeclaration::generate);
		try {
			Path folder = POSIX ? Files.createTempDirectory("mounted-secrets-test-", attribute(FOLDER_MODE))
					: Files.createTempDirectory("mounted-secrets-test-");
			LIVE.add(folder);
			for (Map.Entry<String, byte[]> entry : contents.entrySet()) {
				write(folder, entry.getKey(), entry.getValue());
			}
			return folder;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not make the test secrets folder", ex);
		}
	}

	/**
	 * Write a secret file in one step: a hidden file (the starter skips names starting with
	 * '.') made with the file mode, then renamed over the file.
	 * @param folder the folder
	 * @param name the secret's name
	 * @param content the content
	 * @throws IOException if the file cannot be written
	 */
	static void write(Path folder, String name, byte[] content) throws IOException {
		Path target = folder.resolve(name);
		Path temporary = POSIX ? Files.createTempFile(folder, ".tmp-", "", attribute(FILE_MODE))
				: Files.createTempFile(folder, ".tmp-", "");
		try {
			Files.write(temporary, content);
			Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

	/**
	 * Remove a folder and everything in it.
	 * @param folder the folder
	 */
	static void delete(Path folder) {
		LIVE.remove(folder);
		if (!Files.exists(folder)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(folder)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not remove the test secrets folder " + folder, ex);
		}
	}

	private static FileAttribute<Set<PosixFilePermission>> attribute(Set<PosixFilePermission> mode) {
		return PosixFilePermissions.asFileAttribute(mode);
	}

}
