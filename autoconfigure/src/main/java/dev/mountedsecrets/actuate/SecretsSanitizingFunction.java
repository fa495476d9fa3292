package dev.mountedsecrets.actuate;

import dev.mountedsecrets.MountedSecrets;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks, in {@code /actuator/env} and {@code /actuator/configprops}, every value that comes
 * from a secret file and every value equal to a secret (a property set with
 * {@code ${secrets.file.x}}, a bound configuration property), even with
 * {@code show-values=always}.
 */
public class SecretsSanitizingFunction implements SanitizingFunction {

	private final MountedSecrets secrets;

	public SecretsSanitizingFunction(MountedSecrets secrets) {
		this.secrets = secrets;
	}

	@Override
	public SanitizableData apply(SanitizableData data) {
		if (MountedSecrets.isSecretsSource(data.getPropertySource()) || this.secrets.isSecretValue(data.getValue())) {
			return data.withSanitizedValue();
		}
		return data;
	}

}
