package dev.mountedsecrets.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mountedsecrets.MountedSecrets;
import dev.mountedsecrets.SecretFileReader;
import dev.mountedsecrets.SecretProblem;
import dev.mountedsecrets.SecretsSnapshot;

/**
 * What the {@code secrets} health says, the same in every Boot generation (each has its own
 * health API, and its own indicator hands this to it): DOWN when a required secret is missing,
 * a secret is invalid now, a secret in use has been removed, a file could not be read within
 * {@code secrets.read-timeout}, or a read given up then is still blocked ({@code stuckReads},
 * with what releases it where the JVM cannot signal the reader). Details name files and rules,
 * never values.
 *
 * @param up whether the status is UP
 * @param details the details, in order
 */
record SecretsHealth(boolean up, Map<String, Object> details) {

	/**
	 * Read the folder again and say what its health is.
	 * @param secrets the secrets in use
	 * @return the health
	 */
	static SecretsHealth of(MountedSecrets secrets) {
		SecretsSnapshot current = secrets.readFolder();
		List<SecretProblem> problems = secrets.problems(current);
		int stuck = SecretFileReader.abandonedReads();
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("dir", current.dir().toString());
		details.put("secrets", current.secrets().size());
		if (!problems.isEmpty()) {
			details.put("problems", problems.stream().map(SecretProblem::describe).toList());
		}
		if (stuck > 0) {
			details.put("stuckReads", stuck);
			if (!SecretFileReader.stuckReadsSignalled()) {
				details.put("stuckReadsRelease", "Released when the FIFO at the file's path, or one in its"
						+ " folder, is gone; one unlinked or moved out of the folder holds its reader until a restart"
						+ " (run the JVM with --add-exports java.base/sun.nio.ch=ALL-UNNAMED to release it)");
			}
		}
		return new SecretsHealth(problems.isEmpty() && stuck == 0, details);
	}

	/** The status, as both health APIs name it. */
	String status() {
		return this.up ? "UP" : "DOWN";
	}

}
