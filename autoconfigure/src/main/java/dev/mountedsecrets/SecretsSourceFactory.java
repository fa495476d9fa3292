package dev.mountedsecrets;

import java.util.Map;

/**
 * Creates the property sources the starter puts into the environment. The core's own sources
 * know no Boot generation; an adapter of {@code dev.mountedsecrets.autoconfigure} passes a
 * factory whose sources also declare, in its generation's terms, what Boot cannot see from the
 * core (on Boot 4, that they are immutable, so their property names are cached). A source made
 * here makes its successors after a rotation, so they keep that declaration.
 */
public interface SecretsSourceFactory {

	/** The core's sources as they are; Boot 3.5 reads their immutability through {@code OriginLookup}. */
	SecretsSourceFactory PLAIN = new SecretsSourceFactory() {

		@Override
		public SecretsPropertySource secrets(SecretsSnapshot snapshot, SecretMappings mappings) {
			return new SecretsPropertySource(snapshot, mappings);
		}

		@Override
		public FileVariablesPropertySource fileVariables(Map<String, SecretFile> secretsByVariable) {
			return new FileVariablesPropertySource(secretsByVariable);
		}

	};

	/**
	 * The source of a folder's secrets, recording its values in the folder's registry of served
	 * values ({@link ServedSecrets#forFolder(java.nio.file.Path)}).
	 * @param snapshot what the folder holds
	 * @param mappings which properties each file feeds
	 * @return the property source
	 */
	SecretsPropertySource secrets(SecretsSnapshot snapshot, SecretMappings mappings);

	/**
	 * The source of the {@code X_FILE} variables.
	 * @param secretsByVariable the secret read for each variable {@code X}, keyed by {@code X}
	 * @return the property source
	 */
	FileVariablesPropertySource fileVariables(Map<String, SecretFile> secretsByVariable);

}
