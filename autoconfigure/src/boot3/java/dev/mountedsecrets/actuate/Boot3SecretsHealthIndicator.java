package dev.mountedsecrets.actuate;

import java.util.List;

import dev.mountedsecrets.MountedSecrets;
import dev.mountedsecrets.SecretProblem;
import dev.mountedsecrets.SecretsSnapshot;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * {@link SecretsHealthIndicator} for Boot 3.5, whose health API lives in
 * {@code org.springframework.boot.actuate.health}: same status, same details.
 */
public class Boot3SecretsHealthIndicator extends AbstractHealthIndicator {

	private final MountedSecrets secrets;

	public Boot3SecretsHealthIndicator(MountedSecrets secrets) {
		super("Secrets health check failed");
		this.secrets = secrets;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		SecretsSnapshot current = this.secrets.readFolder();
		List<SecretProblem> problems = this.secrets.problems(current);
		builder.status(problems.isEmpty() ? "UP" : "DOWN")
			.withDetail("dir", current.dir().toString())
			.withDetail("secrets", current.secrets().size());
		if (!problems.isEmpty()) {
			builder.withDetail("problems", problems.stream().map(SecretProblem::describe).toList());
		}
	}

}
