package dev.mountedsecrets;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a secrets folder held at one moment: the secrets that were read, by name, and the files
 * that could not be used. Immutable.
 *
 * @param dir the folder that was read
 * @param found whether the folder exists
 * @param secrets the secrets read, by name, in name order
 * @param problems the files that could not serve as secrets
 * @param warnings rules broken by files that are used all the same (a check set to warn)
 */
public record SecretsSnapshot(Path dir, boolean found, Map<String, SecretFile> secrets, List<SecretProblem> problems,
		List<SecretProblem> warnings) {

	public SecretsSnapshot {
		secrets = Collections.unmodifiableMap(new LinkedHashMap<>(secrets));
		problems = List.copyOf(problems);
		warnings = List.copyOf(warnings);
	}

	static SecretsSnapshot missing(Path dir) {
		return new SecretsSnapshot(dir, false, Map.of(), List.of(), List.of());
	}

	/**
	 * The secret with the given name.
	 * @param name the secret's name
	 * @return the secret, or {@code null} if the folder held no usable file of that name
	 */
	public @Nullable SecretFile get(String name) {
		return this.secrets.get(name);
	}

	@Override
	public String toString() {
		return "SecretsSnapshot[dir=" + this.dir + ", secrets=" + this.secrets.keySet() + ", problems="
				+ this.problems.size() + ", warnings=" + this.warnings.size() + "]";
	}

}
