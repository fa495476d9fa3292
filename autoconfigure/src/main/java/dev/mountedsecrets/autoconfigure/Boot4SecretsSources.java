package dev.mountedsecrets.autoconfigure;

import java.util.Map;

import dev.mountedsecrets.FileVariablesPropertySource;
import dev.mountedsecrets.SecretFile;
import dev.mountedsecrets.SecretMappings;
import dev.mountedsecrets.SecretsPropertySource;
import dev.mountedsecrets.SecretsSnapshot;
import dev.mountedsecrets.SecretsSourceFactory;
import dev.mountedsecrets.ServedSecrets;

import org.springframework.boot.env.PropertySourceInfo;

/**
 * The core's property sources as Boot 4 needs them: Boot 4 asks {@link PropertySourceInfo}
 * (Boot 4 only) whether a source is immutable, and caches the property names of one that is.
 * The sources never change: a rotation replaces the secrets source with another.
 */
final class Boot4SecretsSources implements SecretsSourceFactory {

	static final Boot4SecretsSources INSTANCE = new Boot4SecretsSources();

	private Boot4SecretsSources() {
	}

	@Override
	public SecretsPropertySource secrets(SecretsSnapshot snapshot, SecretMappings mappings) {
		return new Secrets(snapshot, mappings, ServedSecrets.forFolder(snapshot.dir()));
	}

	@Override
	public FileVariablesPropertySource fileVariables(Map<String, SecretFile> secretsByVariable) {
		return new FileVariables(secretsByVariable);
	}

	private static final class Secrets extends SecretsPropertySource implements PropertySourceInfo {

		Secrets(SecretsSnapshot snapshot, SecretMappings mappings, ServedSecrets served) {
			super(snapshot, mappings, served);
		}

		@Override
		public SecretsPropertySource successor(SecretsSnapshot snapshot, SecretMappings mappings) {
			return new Secrets(snapshot, mappings, served());
		}

		@Override
		public boolean isImmutable() {
			return true;
		}

	}

	private static final class FileVariables extends FileVariablesPropertySource implements PropertySourceInfo {

		FileVariables(Map<String, SecretFile> secretsByVariable) {
			super(secretsByVariable);
		}

		@Override
		public boolean isImmutable() {
			return true;
		}

	}

}
