package dev.mountedsecrets.actuate;

import dev.mountedsecrets.MountedSecrets;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks, in {@code /actuator/env}, {@code /actuator/configprops} and every endpoint that uses
 * Boot's sanitizer, even with {@code show-values=always}:
 * <ul>
 * <li>every value that comes from a secret file;</li>
 * <li>every property the starter serves, wherever its value comes from now (a command-line
 * {@code --spring.datasource.password=...} override);</li>
 * <li>every value, of any type, that shows a secret the process has served, now or before a
 * rotation, or that contains one;</li>
 * <li>every property whose value in the environment resolves to such a value (a secret bound
 * into an {@code int});</li>
 * <li>command lines that set a served property ({@code sun.java.command}).</li>
 * </ul>
 */
public class SecretsSanitizingFunction implements SanitizingFunction {

	private final MountedSecrets secrets;

	public SecretsSanitizingFunction(MountedSecrets secrets) {
		this.secrets = secrets;
	}

	@Override
	public SanitizableData apply(SanitizableData data) {
		Object value = data.getValue();
		if (value == null) {
			return data;
		}
		if (MountedSecrets.isSecretsSource(data.getPropertySource()) || this.secrets.servesProperty(data.getKey())
				|| this.secrets.isSecretValue(value) || this.secrets.setsServedProperty(value)
				|| this.secrets.resolvesToSecret(data.getKey())) {
			return data.withSanitizedValue();
		}
		return data;
	}

}
