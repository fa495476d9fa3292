package dev.mountedsecrets.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import dev.mountedsecrets.MountedSecrets;
import dev.mountedsecrets.SecretFile;
import dev.mountedsecrets.SecretProblem;
import dev.mountedsecrets.reload.SecretsReloader;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationContext;

/**
 * The private secrets folder of a test's application context: where it is, and
 * {@link #rotate(String, String)} to change a secret the way a rotation would and wait until
 * the application uses the new value. A bean named {@value #BEAN_NAME} of every context with
 * declared secrets; also a parameter of test methods ({@link TestSecretsExtension}).
 */
public final class TestSecretsFolder {

	/** Name of the bean. */
	public static final String BEAN_NAME = "mountedSecretsTestFolder";

	/** How long {@link #rotate(String, String)} waits for the application at most. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

	private static final long POLL_MILLIS = 10;

	private final Path path;

	private final Set<String> declared;

	private final ApplicationContext context;

	TestSecretsFolder(Path path, Set<String> declared, ApplicationContext context) {
		this.path = path;
		this.declared = Set.copyOf(declared);
		this.context = context;
	}

	/**
	 * The folder, which {@code secrets.dir} names.
	 * @return the folder
	 */
	public Path path() {
		return this.path;
	}

	/**
	 * The names of the declared secrets.
	 * @return the names
	 */
	public Set<String> declared() {
		return this.declared;
	}

	/**
	 * Write a secret file in one step (a renamed temporary file, mode 0600), without waiting
	 * for the application. For a file the application should refuse, or one it does not read.
	 * @param name the secret's name
	 * @param value the new content
	 */
	public void write(String name, String value) {
		try {
			TestSecretsFolders.write(this.path, name, value.getBytes(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write the test secret " + name, ex);
		}
	}

	/**
	 * Write a new value of a secret and wait, at most {@link #DEFAULT_TIMEOUT}, until the
	 * application's reloader has applied it and announced it to every listener.
	 * @param name the secret's name
	 * @param value the new content
	 * @throws IllegalStateException if the application does not reload secrets
	 * ({@code secrets.reload.enabled} is not true), or refused the value, or did not take it
	 * in time
	 */
	public void rotate(String name, String value) {
		rotate(name, value, DEFAULT_TIMEOUT);
	}

	/**
	 * Write a new value of a secret and wait until the application's reloader has applied it
	 * and announced it to every listener.
	 * @param name the secret's name
	 * @param value the new content
	 * @param timeout how long to wait at most
	 * @throws IllegalStateException if the application does not reload secrets
	 * ({@code secrets.reload.enabled} is not true), or refused the value, or did not take it
	 * in time
	 */
	public void rotate(String name, String value, Duration timeout) {
		MountedSecrets secrets = this.context.getBeanProvider(MountedSecrets.class).getIfAvailable();
		SecretsReloader reloader = this.context.getBeanProvider(SecretsReloader.class).getIfAvailable();
		if (secrets == null || reloader == null) {
			throw new IllegalStateException("The application does not reload secrets, so it would never use the"
					+ " rotated " + name + ": set secrets.reload.enabled=true in the test's properties (a test slice"
					+ " also needs the starter's auto-configuration)");
		}
		long rotationsBefore = reloader.rotations();
		long refusalsBefore = reloader.refusals();
		write(name, value);
		SecretFile expected = new SecretFile(name, this.path.resolve(name), withoutFinalNewline(value));
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!(reloader.rotations() > rotationsBefore && serves(secrets, expected))) {
			if (reloader.refusals() > refusalsBefore) {
				String refusals = refusals(secrets, name);
				if (!refusals.isEmpty()) {
					throw new IllegalStateException("The application refused the rotated " + name + refusals);
				}
			}
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("The application did not take the rotated " + name + " into use within "
						+ timeout + refusals(secrets, name));
			}
			pause();
		}
	}

	private static boolean serves(MountedSecrets secrets, SecretFile expected) {
		SecretFile inUse = secrets.inUse().get(expected.name());
		return inUse != null && inUse.sameValueAs(expected);
	}

	private static String refusals(MountedSecrets secrets, String name) {
		List<String> problems = secrets.problems(secrets.readFolder())
			.stream()
			.filter((problem) -> problem.name().equals(name))
			.map((problem) -> problem.describe() + ". " + problem.action())
			.toList();
		return problems.isEmpty() ? "" : ": " + String.join(" ", problems);
	}

	private static String withoutFinalNewline(String value) {
		if (value.endsWith("\r\n")) {
			return value.substring(0, value.length() - 2);
		}
		return value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
	}

	private static void pause() {
		try {
			Thread.sleep(POLL_MILLIS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for a rotation", ex);
		}
	}

	@Override
	public String toString() {
		return "TestSecretsFolder[" + this.path + ", secrets=" + this.declared + "]";
	}

	static @Nullable TestSecretsFolder in(ApplicationContext context) {
		return context.containsBean(BEAN_NAME) ? context.getBean(BEAN_NAME, TestSecretsFolder.class) : null;
	}

}
