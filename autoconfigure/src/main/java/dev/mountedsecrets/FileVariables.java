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
 *
 * @param secrets the secret read for each variable {@code X}, keyed by {@code X}
 * @param problems the variables whose file could not be used
 */
public record FileVariables(Map<String, SecretFile> secrets, List<SecretProblem> problems) {

	private static final String SUFFIX = "_FILE";

	public FileVariables {
		secrets = Map.copyOf(secrets);
		problems = List.copyOf(problems);
	}

	/**
	 * Read the file of every {@code X_FILE} variable.
	 * @param environment the process environment, variable name to value
	 * @param ignored variables that never name a secret, such as {@code SSL_CERT_FILE}
	 * @param reader how each file is read
	 * @return the secrets and problems found
	 */
	public static FileVariables read(Map<String, Object> environment, Collection<String> ignored,
			SecretFileReader reader) {
		Map<String, SecretFile> secrets = new TreeMap<>();
		List<SecretProblem> problems = new ArrayList<>();
		for (Map.Entry<String, Object> entry : new TreeMap<>(environment).entrySet()) {
			String fileVariable = entry.getKey();
			if (!fileVariable.endsWith(SUFFIX) || fileVariable.length() == SUFFIX.length()
					|| ignored.contains(fileVariable)) {
				continue;
			}
			String variable = fileVariable.substring(0, fileVariable.length() - SUFFIX.length());
			String location = String.valueOf(entry.getValue()).trim();
			List<String> properties = List.of(relaxedPropertyName(variable));
			if (environment.containsKey(variable)) {
				problems.add(new SecretProblem(fileVariable, variable, properties,
						"both " + variable + " and " + fileVariable + " are set",
						"Remove " + variable + " from the environment and keep the secret in the file only."));
				continue;
			}
			if (location.isEmpty()) {
				problems.add(new SecretProblem(fileVariable, variable, properties, "is set but names no file",
						"Set " + fileVariable + " to the path of the secret file, or remove it."));
				continue;
			}
			Path path;
			try {
				path = Path.of(location);
			}
			catch (InvalidPathException ex) {
				problems.add(new SecretProblem(fileVariable, variable, properties, "is not a valid file path",
						"Set " + fileVariable + " to the path of the secret file."));
				continue;
			}
			try {
				SecretFile secret = reader.read(variable, path);
				if (secret.value().isEmpty()) {
					problems.add(new SecretProblem(fileVariable + " (" + path + ")", variable, properties, "is empty",
							"Write the secret into the file."));
					continue;
				}
				secrets.put(variable, secret);
			}
			catch (UnusableSecretFileException ex) {
				problems.add(new SecretProblem(fileVariable + " (" + path + ")", variable, properties, ex.getMessage(),
						ex.getAction()));
			}
		}
		return new FileVariables(secrets, problems);
	}

	private static String relaxedPropertyName(String variable) {
		return variable.toLowerCase(Locale.ROOT).replace('_', '.');
	}

	@Override
	public String toString() {
		return "FileVariables[variables=" + this.secrets.keySet() + ", problems=" + this.problems.size() + "]";
	}

}
