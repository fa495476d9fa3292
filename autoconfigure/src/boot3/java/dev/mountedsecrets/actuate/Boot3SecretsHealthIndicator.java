package dev.mountedsecrets.actuate;

import dev.mountedsecrets.MountedSecrets;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * {@link SecretsHealthIndicator} for Boot 3.5, whose health API lives in
 * {@code org.springframework.boot.actuate.health}: same status, same details ({@link SecretsHealth}).
 */
public class Boot3SecretsHealthIndicator extends AbstractHealthIndicator {

	private final MountedSecrets secrets;

	public Boot3SecretsHealthIndicator(MountedSecrets secrets) {
		super("Secrets health check failed");
		this.secrets = secrets;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		SecretsHealth health = SecretsHealth.of(this.secrets);
		builder.status(health.status()).withDetails(health.details());
	}

}
