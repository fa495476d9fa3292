package dev.mountedsecrets.actuate;

import java.util.List;

import dev.mountedsecrets.MountedSecrets;
import dev.mountedsecrets.SecretFileReader;
import dev.mountedsecrets.SecretProblem;
import dev.mountedsecrets.SecretsSnapshot;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * {@code secrets}: reads the folder again and is DOWN when a required secret is missing, a
 * secret is invalid now, a secret in use (one that fed properties) has been removed, or a
 * file could not be read within {@code secrets.read-timeout}, or a read given up then is still
 * blocked ({@code stuckReads}, with what releases it where the JVM cannot signal the reader).
 * The last good values stay in
 * use meanwhile, but DOWN says that a restart would fail. Details name files and rules, never
 * values.
 */
public class SecretsHealthIndicator extends AbstractHealthIndicator {

	private final MountedSecrets secrets;

	public SecretsHealthIndicator(MountedSecrets secrets) {
		super("Secrets health check failed");
		this.secrets = secrets;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		SecretsSnapshot current = this.secrets.readFolder();
		List<SecretProblem> problems = this.secrets.problems(current);
		int stuck = SecretFileReader.abandonedReads();
		builder.status((problems.isEmpty() && stuck == 0) ? "UP" : "DOWN")
			.withDetail("dir", current.dir().toString())
			.withDetail("secrets", current.secrets().size());
		if (!problems.isEmpty()) {
			builder.withDetail("problems", problems.stream().map(SecretProblem::describe).toList());
		}
		if (stuck > 0) {
			builder.withDetail("stuckReads", stuck);
			if (!SecretFileReader.stuckReadsSignalled()) {
				builder.withDetail("stuckReadsRelease", "Released when the FIFO at the file's path, or one in its"
						+ " folder, is gone; one unlinked or moved out of the folder holds its reader until a restart"
						+ " (run the JVM with --add-exports java.base/sun.nio.ch=ALL-UNNAMED to release it)");
			}
		}
	}

}
