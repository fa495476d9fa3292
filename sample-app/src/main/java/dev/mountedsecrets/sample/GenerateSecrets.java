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
 * Creates every secret file the sample needs, with strong random values, and never overwrites
 * a file that exists. Prints names, never values. Needs only a JDK:
 * {@code java sample-app/src/main/java/dev/mountedsecrets/sample/GenerateSecrets.java sample-app/secrets}.
 * <p>
 * Permissions, so that {@code docker compose up} works on the first try: Compose (without
 * Swarm) bind-mounts each file with its owner and mode on the host and ignores the long
 * syntax's {@code uid}/{@code gid}/{@code mode}, and the containers read the files as their own
 * users (app 10001, postgres 70 or 999, redis 999). So the folder is mode 0700 (only its owner
 * can open anything in it on the host) and the files 0644 (any container user can read them;
 * inside a container, the host folder is not on the path).
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

	/**
	 * Not a secret of the sample: the demo users' password at the local OAuth2 provider
	 * (embedded run and {@code compose.local-provider.yaml}), created with the others.
	 */
	public static final String LOCAL_LOGIN_PASSWORD = "local_login_password";

	private static final SecureRandom RANDOM = new SecureRandom();

	/** Only the owner may open the folder: it is what keeps other host users out. */
	static final String FOLDER_MODE = "rwx------";

	/** Readable by the containers' users through Compose's bind mounts; the folder guards them. */
	static final String FILE_MODE = "rw-r--r--";

	/** When the folder cannot be made private, the files stay private instead. */
	static final String PRIVATE_FILE_MODE = "rw-------";

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
	 * Create the secret files that do not exist yet; make the folder private (0700) and, once
	 * it is, every secret file readable by the containers' users (0644). Also the local
	 * provider's {@value #LOCAL_LOGIN_PASSWORD}.
	 * @param dir the secrets folder, created if needed
	 * @return the names of the files created
	 * @throws IOException if a file cannot be written
	 */
	public static List<String> generateMissing(Path dir) throws IOException {
		Files.createDirectories(dir);
		boolean privateFolder = makePrivate(dir);
		List<String> created = new ArrayList<>();
		Map<String, Integer> files = new LinkedHashMap<>(RANDOM_BYTES);
		files.put(LOCAL_LOGIN_PASSWORD, 12);
		for (Map.Entry<String, Integer> secret : files.entrySet()) {
			Path file = dir.resolve(secret.getKey());
			if (create(file, value(secret.getKey(), secret.getValue()), privateFolder)) {
				created.add(secret.getKey());
			}
			else if (privateFolder) {
				// A file from an older run (0600) would fail in the containers the same way.
				setMode(file, FILE_MODE);
			}
		}
		return created;
	}

	/**
	 * Whether the folder is now private: mode 0700 set, or not a POSIX file system (Windows,
	 * where Docker Desktop does not map host owners either).
	 */
	private static boolean makePrivate(Path dir) throws IOException {
		try {
			Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(FOLDER_MODE));
			return true;
		}
		catch (UnsupportedOperationException ex) {
			return true;
		}
		catch (IOException ex) {
			// Not the folder's owner: keep the files private rather than readable.
			return false;
		}
	}

	private static boolean isPrivate(Path dir) {
		try {
			return PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)).equals(FOLDER_MODE);
		}
		catch (UnsupportedOperationException ex) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static void setMode(Path file, String mode) throws IOException {
		try {
			Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
		}
		catch (UnsupportedOperationException ex) {
			// Not a POSIX file system (Windows): the folder's permissions apply.
		}
	}

	private static String value(String name, int bytes) {
		byte[] random = new byte[bytes];
		RANDOM.nextBytes(random);
		String text = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
		return name.equals("google_oauth_client_id") ? "local-" + text + ".apps.googleusercontent.com" : text;
	}

	private static boolean create(Path file, String value, boolean privateFolder) throws IOException {
		try {
			Files.createFile(file);
		}
		catch (FileAlreadyExistsException ex) {
			return false;
		}
		setMode(file, privateFolder ? FILE_MODE : PRIVATE_FILE_MODE);
		Files.writeString(file, value + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
		return true;
	}

	static void report(Path dir, List<String> created, PrintStream out) {
		out.println("Secrets folder: " + dir.toAbsolutePath());
		out.println(created.isEmpty() ? "  every secret file already exists; no value was changed"
				: "  created: " + String.join(", ", created));
		out.println("  google_oauth_client_id/_secret are random: fine for the local provider; for real Google"
				+ " sign-in, put your OAuth client's id and secret in them.");
		if (isPrivate(dir)) {
			out.println("  Permissions: the folder is 0700 (only its owner can open it on this machine), the files"
					+ " 0644: Docker Compose mounts each file with its owner and mode, and the containers read"
					+ " them as their own users (app 10001, postgres 70 or 999, redis 999). Keep the folder"
					+ " 0700; a copy of a file outside it is readable by everyone.");
		}
		else {
			out.println("  Permissions: the folder could not be made 0700 (are you its owner?), so new files are"
					+ " 0600 and the containers' users (app 10001, postgres 70 or 999, redis 999) cannot read"
					+ " them through Docker Compose. Run this as the folder's owner, or use a folder of your own.");
		}
	}

}
