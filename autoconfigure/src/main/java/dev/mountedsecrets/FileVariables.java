package dev.mountedsecrets;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code X_FILE} convention of the official Docker images: an environment variable
 * {@code X_FILE} names a file whose content stands for {@code X}.
 * <p>
 * Containers carry {@code *_FILE} variables that are no secrets of the application
 * ({@code NIX_SSL_CERT_FILE}, a CA bundle larger than any secret). So a file that cannot be
 * used fails start-up only for {@code SPRING_*_FILE}, which can only be meant for Spring;
 * for other variables it is reported and the variable is not served. Setting both
 * {@code X} and {@code X_FILE} always fails.
 *
 * @param secrets the secret read for each variable {@code X}, keyed by {@code X}
 * @param problems what fails start-up: conflicts, and unusable {@code SPRING_*_FILE} files
 * @param skipped the other variables whose file cannot be used, keyed by {@code X}
 */
public record FileVariables(Map<String, SecretFile> secrets, List<SecretProblem> problems,
		Map<String, SecretProblem> skipped) {

	private static final String SUFFIX = "_FILE";

	private static final String SPRING_PREFIX = "SPRING_";

	public FileVariables {
		secrets = Map.copyOf(secrets);
		problems = List.copyOf(problems);
		skipped = Map.copyOf(skipped);
	}

	static FileVariables none() {
		return new FileVariables(Map.of(), List.of(), Map.of());
	}

	/**
	 * Read the file of every {@code X_FILE} variable.
	 * @param environment the process environment, variable name to value
	 * @param ignored variables that never name a secret
	 * @param reader how each file is read
	 * @return what was read and what could not be
	 */
	public static FileVariables read(Map<String, Object> environment, Collection<String> ignored,
			SecretFileReader reader) {
		Map<String, SecretFile> secrets = new TreeMap<>();
		List<SecretProblem> problems = new ArrayList<>();
		Map<String, SecretProblem> skipped = new TreeMap<>();
		for (Map.Entry<String, Object> entry : new TreeMap<>(environment).entrySet()) {
			String fileVariable = entry.getKey();
			if (!fileVariable.endsWith(SUFFIX) || fileVariable.length() == SUFFIX.length()
					|| ignored.contains(fileVariable)) {
				continue;
			}
			String variable = fileVariable.substring(0, fileVariable.length() - SUFFIX.length());
			List<String> properties = List.of(relaxedPropertyName(variable));
			if (environment.containsKey(variable)) {
				problems.add(new SecretProblem(fileVariable, variable, properties,
						"both " + variable + " and " + fileVariable + " are set",
						"Remove " + variable + " from the environment and keep the secret in the file only."));
				continue;
			}
			String location = String.valueOf(entry.getValue()).trim();
			try {
				secrets.put(variable, readFile(reader, fileVariable, variable, location));
			}
			catch (UnusableSecretFileException ex) {
				String file = location.isEmpty() ? fileVariable : fileVariable + " (" + location + ")";
				SecretProblem problem = new SecretProblem(file, variable, properties, ex.getMessage(), ex.getAction());
				if (variable.startsWith(SPRING_PREFIX)) {
					problems.add(problem);
				}
				else {
					skipped.put(variable, problem);
				}
			}
		}
		return new FileVariables(secrets, problems, skipped);
	}

	private static SecretFile readFile(SecretFileReader reader, String fileVariable, String variable, String location)
			throws UnusableSecretFileException {
		if (location.isEmpty()) {
			throw new UnusableSecretFileException("is set but names no file",
					"Set " + fileVariable + " to the path of the secret file, or remove it.");
		}
		Path path;
		try {
			path = Path.of(location);
		}
		catch (InvalidPathException ex) {
			throw new UnusableSecretFileException("is not a valid file path",
					"Set " + fileVariable + " to the path of the secret file.");
		}
		SecretFile secret = reader.read(variable, path);
		if (secret.value().isEmpty()) {
			throw new UnusableSecretFileException("is empty", "Write the secret into the file.");
		}
		return secret;
	}

	private static String relaxedPropertyName(String variable) {
		return variable.toLowerCase(Locale.ROOT).replace('_', '.');
	}

	@Override
	public String toString() {
		return "FileVariables[variables=" + this.secrets.keySet() + ", problems=" + this.problems.size()
				+ ", skipped=" + this.skipped.keySet() + "]";
	}

}
