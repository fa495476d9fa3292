package dev.mountedsecrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * The {@code X_FILE} convention of the official Docker images: an environment variable
 * {@code X_FILE} names a file whose content stands for {@code X}.
 * <p>
 * Containers carry {@code *_FILE} variables that are no secrets of the application
 * ({@code NIX_SSL_CERT_FILE}, a CA bundle larger than any secret). So a file that cannot be
 * used fails start-up only for {@code SPRING_*_FILE}, which can only be meant for Spring;
 * for other variables it is reported and the variable is not served. Setting both
 * {@code X} and {@code X_FILE} always fails.
 * <p>
 * The file gets the rules of a file in the secrets folder: it is opened and read the same way
 * (size, UTF-8, no swap between check and read), it and its folder pass the permission check,
 * and its content the rules of a mapped secret (not blank, no placeholder, minimum length).
 *
 * @param secrets the secret read for each variable {@code X}, keyed by {@code X}
 * @param problems what fails start-up: conflicts, and unusable {@code SPRING_*_FILE} files
 * @param skipped the other variables whose file cannot be used, keyed by {@code X}
 * @param warnings rules broken by files that are used all the same (a check set to warn)
 */
public record FileVariables(Map<String, SecretFile> secrets, List<SecretProblem> problems,
		Map<String, SecretProblem> skipped, List<SecretProblem> warnings) {

	private static final String SUFFIX = "_FILE";

	private static final String SPRING_PREFIX = "SPRING_";

	public FileVariables {
		secrets = Map.copyOf(secrets);
		problems = List.copyOf(problems);
		skipped = Map.copyOf(skipped);
		warnings = List.copyOf(warnings);
	}

	static FileVariables none() {
		return new FileVariables(Map.of(), List.of(), Map.of(), List.of());
	}

	/**
	 * Read the file of every {@code X_FILE} variable.
	 * @param environment the process environment, variable name to value
	 * @param ignored variables that never name a secret
	 * @param options how each file is read and checked
	 * @param rules the rules its content must pass
	 * @return what was read and what could not be
	 */
	public static FileVariables read(Map<String, Object> environment, Collection<String> ignored, ReadOptions options,
			SecretRules rules) {
		SecretFileReader reader = options.reader();
		PermissionCheck permissions = new PermissionCheck(options.permissionCheck());
		OwnerCheck owners = options.owners();
		Map<String, SecretFile> secrets = new TreeMap<>();
		List<SecretProblem> problems = new ArrayList<>();
		Map<String, SecretProblem> skipped = new TreeMap<>();
		List<SecretProblem> warnings = new ArrayList<>();
		for (Map.Entry<String, Object> entry : new TreeMap<>(environment).entrySet()) {
			String fileVariable = entry.getKey();
			if (!fileVariable.endsWith(SUFFIX) || fileVariable.length() == SUFFIX.length()
					|| ignored.contains(fileVariable)) {
				continue;
			}
			String variable = fileVariable.substring(0, fileVariable.length() - SUFFIX.length());
			String property = relaxedPropertyName(variable);
			if (environment.containsKey(variable)) {
				problems.add(new SecretProblem(fileVariable, variable, List.of(property),
						"both " + variable + " and " + fileVariable + " are set",
						"Remove " + variable + " from the environment and keep the secret in the file only."));
				continue;
			}
			String location = String.valueOf(entry.getValue()).trim();
			String file = location.isEmpty() ? fileVariable
					: fileVariable + " (" + (looksLikeAPath(location) ? location : "a value that is no path") + ")";
			List<SecretProblem> broken = new ArrayList<>();
			try {
				Path path = pathOf(fileVariable, location);
				Path target = path.toRealPath();
				if (permissions.allows(file, variable, SecretFileReader.writableByOthers(target), target, broken, warnings)
						&& permissions.allows(file, variable, folderRule(target), target.getParent(), broken,
								warnings)
						&& owners.allows(file, variable, target, true, broken, warnings)
						&& (target.getParent() == null
								|| owners.allows(file, variable, target.getParent(), false, broken, warnings))) {
					SecretFile secret = reader.read(variable, path);
					broken.addAll(rules.checkFileVariable(secret, file, property));
					if (broken.isEmpty()) {
						secrets.put(variable, secret);
					}
				}
			}
			catch (UnusableSecretFileException ex) {
				broken.add(new SecretProblem(file, variable, List.of(property), ex.getMessage(), ex.getAction()));
			}
			catch (IOException ex) {
				broken.add(unusable(reader, variable, file, property, Path.of(location)));
			}
			for (SecretProblem problem : broken) {
				SecretProblem shown = problem.feeding(List.of(property));
				if (variable.startsWith(SPRING_PREFIX)) {
					problems.add(shown);
				}
				else {
					skipped.putIfAbsent(variable, shown);
				}
			}
		}
		return new FileVariables(secrets, problems, skipped, warnings);
	}

	private static @Nullable String folderRule(Path target) {
		Path folder = target.getParent();
		String rule = (folder != null) ? SecretFileReader.folderWritableByOthers(folder) : null;
		return (rule != null) ? "is in " + folder + ", which " + rule : null;
	}

	/** Why a file whose real path cannot be found cannot be used. */
	private static SecretProblem unusable(SecretFileReader reader, String variable, String file, String property,
			Path path) {
		try {
			reader.attributesOf(path);
			return new SecretProblem(file, variable, List.of(property), "cannot be resolved to a file",
					"Set the variable to the path of the secret file.");
		}
		catch (UnusableSecretFileException ex) {
			return new SecretProblem(file, variable, List.of(property), ex.getMessage(), ex.getAction());
		}
	}

	/**
	 * Whether what an {@code X_FILE} variable holds is a path, and so may be shown: absolute,
	 * in a folder that exists and is not the root. A secret set there by mistake (the value in
	 * place of its file's path, a Base64 text with {@code /} in it) must not be shown.
	 */
	static boolean looksLikeAPath(String location) {
		try {
			Path path = Path.of(location);
			Path folder = path.getParent();
			return path.isAbsolute() && folder != null && folder.getParent() != null && Files.isDirectory(folder);
		}
		catch (InvalidPathException ex) {
			return false;
		}
	}

	private static Path pathOf(String fileVariable, String location) throws UnusableSecretFileException {
		if (location.isEmpty()) {
			throw new UnusableSecretFileException("is set but names no file",
					"Set " + fileVariable + " to the path of the secret file, or remove it.");
		}
		try {
			return Path.of(location);
		}
		catch (InvalidPathException ex) {
			throw new UnusableSecretFileException("is not a valid file path",
					"Set " + fileVariable + " to the path of the secret file.");
		}
	}

	private static String relaxedPropertyName(String variable) {
		return variable.toLowerCase(Locale.ROOT).replace('_', '.');
	}

	@Override
	public String toString() {
		return "FileVariables[variables=" + this.secrets.keySet() + ", problems=" + this.problems.size()
				+ ", skipped=" + this.skipped.keySet() + ", warnings=" + this.warnings.size() + "]";
	}

}
