package dev.mountedsecrets.sample;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates every secret file the sample needs, with strong random values, mode 0600, and
 * never overwrites a file that exists. Prints names, never values. Needs only a JDK:
 * {@code java sample-app/src/main/java/dev/mountedsecrets/sample/GenerateSecrets.java sample-app/secrets}.
 */
public final class GenerateSecrets {

	/** Random bytes per secret; Base64url makes 4 characters of every 3 bytes. */
	private static final Map<String, Integer> RANDOM_BYTES = new LinkedHashMap<>();

	static {
		RANDOM_BYTES.put("postgres_password", 24);
		RANDOM_BYTES.put("db_password_server", 24);
		RANDOM_BYTES.put("redis_password", 24);
		RANDOM_BYTES.put("email_password", 24);
		RANDOM_BYTES.put("crypto_key", 48);
		RANDOM_BYTES.put("token_secret_key", 48);
		RANDOM_BYTES.put("nextauth_secret", 48);
		RANDOM_BYTES.put("google_oauth_client_id", 12);
		RANDOM_BYTES.put("google_oauth_client_secret", 24);
	}

	private static final SecureRandom RANDOM = new SecureRandom();

	private GenerateSecrets() {
	}

	/**
	 * The names of every secret file of the sample.
	 * @return the file names, in a fixed order
	 */
	public static List<String> names() {
		return List.copyOf(RANDOM_BYTES.keySet());
	}

	public static void main(String[] args) throws IOException {
		Path dir = Path.of((args.length > 0) ? args[0] : "secrets");
		List<String> created = generateMissing(dir);
		report(dir, created, System.out);
	}

	/**
	 * Create the secret files that do not exist yet.
	 * @param dir the secrets folder, created if needed
	 * @return the names of the files created
	 * @throws IOException if a file cannot be written
	 */
	public static List<String> generateMissing(Path dir) throws IOException {
		Files.createDirectories(dir);
		List<String> created = new ArrayList<>();
		for (Map.Entry<String, Integer> secret : RANDOM_BYTES.entrySet()) {
			if (create(dir.resolve(secret.getKey()), value(secret.getKey(), secret.getValue()))) {
				created.add(secret.getKey());
			}
		}
		return created;
	}

	private static String value(String name, int bytes) {
		byte[] random = new byte[bytes];
		RANDOM.nextBytes(random);
		String text = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
		return name.equals("google_oauth_client_id") ? "local-" + text + ".apps.googleusercontent.com" : text;
	}

	private static boolean create(Path file, String value) throws IOException {
		try {
			Files.createFile(file);
		}
		catch (FileAlreadyExistsException ex) {
			return false;
		}
		try {
			Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
		}
		catch (UnsupportedOperationException ex) {
			// Not a POSIX file system (Windows): the folder's permissions apply.
		}
		Files.writeString(file, value + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
		return true;
	}

	static void report(Path dir, List<String> created, PrintStream out) {
		out.println("Secrets folder: " + dir.toAbsolutePath());
		out.println(created.isEmpty() ? "  every secret file already exists; nothing was changed"
				: "  created (mode 0600): " + String.join(", ", created));
		out.println("  google_oauth_client_id/_secret are random: fine for the local provider; for real Google"
				+ " sign-in, put your OAuth client's id and secret in them.");
		out.println("  Ownership: Docker Compose mounts these files with their owner and mode on this machine."
				+ " The containers read them as their own users (app 10001, postgres 999, redis 999):"
				+ " give each file to the user of the service that reads it (sudo chown 10001 secrets/crypto_key ...),"
				+ " or, on a single-user machine, chmod 0444 secrets/*.");
	}

}
