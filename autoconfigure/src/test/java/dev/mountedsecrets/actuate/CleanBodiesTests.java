package dev.mountedsecrets.actuate;

import java.util.Arrays;
import java.util.List;

import dev.mountedsecrets.ServedSecrets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the filter's memory of clean bodies answers: only the same bytes, for the same request,
 * with the same number of values served.
 */
class CleanBodiesTests {

	private final CleanBodies clean = new CleanBodies();

	private final ServedSecrets served = new ServedSecrets();

	@Test
	void isKnownCleanWhenSameBytesRequestAndCountIsTrue() {
		byte[] body = body(CleanBodies.MIN_LENGTH, 'a');
		this.clean.remember("/actuator/env", body, this.served, 3);
		assertThat(this.clean.isKnownClean("/actuator/env", body.clone(), this.served, 3)).isTrue();
	}

	@Test
	void isKnownCleanWhenCountChangedIsFalse() {
		byte[] body = body(CleanBodies.MIN_LENGTH, 'a');
		this.clean.remember("/actuator/env", body, this.served, 3);
		assertThat(this.clean.isKnownClean("/actuator/env", body, this.served, 4)).isFalse();
	}

	@Test
	void isKnownCleanWhenAnotherRegistryOfTheSameSizeIsFalse() {
		byte[] body = body(CleanBodies.MIN_LENGTH, 'a');
		ServedSecrets before = served("Registry-Before-1a2b3c");
		ServedSecrets after = served("Registry-After-4d5e6f");
		this.clean.remember("/actuator/env", body, before, before.size());
		assertThat(this.clean.isKnownClean("/actuator/env", body, after, after.size())).isFalse();
	}

	@Test
	void isKnownCleanWhenRegistryGrewForgetsTheBody() {
		byte[] body = body(CleanBodies.MIN_LENGTH, 'a');
		this.clean.remember("/actuator/env", body, this.served, 3);
		assertThat(this.clean.isKnownClean("/actuator/env", body, this.served, 4)).isFalse();
		assertThat(this.clean.isKnownClean("/actuator/env", body, this.served, 3)).as("forgotten").isFalse();
	}

	@Test
	void isKnownCleanWhenOneByteDiffersIsFalse() {
		byte[] body = body(CleanBodies.MIN_LENGTH, 'a');
		this.clean.remember("/actuator/env", body, this.served, 3);
		byte[] other = body.clone();
		other[other.length - 1] = 'b';
		assertThat(this.clean.isKnownClean("/actuator/env", other, this.served, 3)).isFalse();
	}

	@Test
	void isKnownCleanWhenOtherRequestIsFalse() {
		byte[] body = body(CleanBodies.MIN_LENGTH, 'a');
		this.clean.remember("/actuator/env", body, this.served, 3);
		assertThat(this.clean.isKnownClean("/actuator/configprops", body, this.served, 3)).isFalse();
	}

	@Test
	void rememberWhenBodySmallOrHugeKeepsNothing() {
		byte[] small = body(CleanBodies.MIN_LENGTH - 1, 'a');
		byte[] huge = body(CleanBodies.MAX_LENGTH + 1, 'a');
		this.clean.remember("/small", small, this.served, 1);
		this.clean.remember("/huge", huge, this.served, 1);
		assertThat(this.clean.isKnownClean("/small", small, this.served, 1)).isFalse();
		assertThat(this.clean.isKnownClean("/huge", huge, this.served, 1)).isFalse();
	}

	@Test
	void rememberWhenTooManyRequestsForgetsTheOthers() {
		byte[] body = body(CleanBodies.MIN_LENGTH, 'a');
		for (int i = 0; i < CleanBodies.MAX_REQUESTS; i++) {
			this.clean.remember("/r" + i, body, this.served, 1);
		}
		assertThat(this.clean.isKnownClean("/r0", body, this.served, 1)).isTrue();
		this.clean.remember("/one-more", body, this.served, 1);
		assertThat(this.clean.isKnownClean("/r0", body, this.served, 1)).isFalse();
		assertThat(this.clean.isKnownClean("/one-more", body, this.served, 1)).isTrue();
	}

	private static ServedSecrets served(String value) {
		ServedSecrets served = new ServedSecrets();
		served.record(List.of(value));
		return served;
	}

	private static byte[] body(int length, char fill) {
		byte[] body = new byte[length];
		Arrays.fill(body, (byte) fill);
		return body;
	}

}
