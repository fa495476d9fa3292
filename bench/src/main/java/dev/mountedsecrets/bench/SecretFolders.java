package dev.mountedsecrets.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Folders of realistic secret files: 16 to 64 byte random values with the newline
 * {@code echo} adds, and a few PEM blocks.
 */
final class SecretFolders {

	private static final SecureRandom random = new SecureRandom();

	private SecretFolders() {
	}

	/**
	 * Create a folder of secret files.
	 * @param count how many files
	 * @return the folder
	 */
	static Path create(int count) throws IOException {
		Path dir = Files.createTempDirectory("bench-secrets-" + count + "-");
		for (int i = 0; i < count; i++) {
			String name = String.format("secret_%04d", i);
			Files.writeString(dir.resolve(name), (i % 100 == 7) ? pem() : randomText(16 + random.nextInt(49)) + "\n");
		}
		return dir;
	}

	/**
	 * The file names of a folder, sorted.
	 * @param dir the folder
	 * @return the names
	 */
	static List<String> names(Path dir) throws IOException {
		try (var files = Files.list(dir)) {
			List<String> names = new ArrayList<>(files.map((file) -> file.getFileName().toString()).sorted().toList());
			return names;
		}
	}

	/**
	 * Remove a folder made by {@link #create}, files and all: a run leaves no files behind
	 * (tens of thousands of them in {@code /tmp} slowed the later forks of a run down).
	 * @param dir the folder
	 */
	static void delete(Path dir) throws IOException {
		try (var files = Files.list(dir)) {
			for (Path file : (Iterable<Path>) files::iterator) {
				Files.delete(file);
			}
		}
		Files.delete(dir);
	}

	private static String randomText(int bytes) {
		byte[] raw = new byte[bytes];
		random.nextBytes(raw);
		String text = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
		return text.substring(0, bytes);
	}

	private static String pem() {
		byte[] der = new byte[1190];
		random.nextBytes(der);
		String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
		return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
	}

}
