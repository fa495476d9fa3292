package dev.mountedsecrets.actuate;

import dev.mountedsecrets.MountedSecrets;

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
		SecretsHealth health = SecretsHealth.of(this.secrets);
		builder.status(health.status()).withDetails(health.details());
	}

}
