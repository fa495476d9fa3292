package dev.mountedsecrets.actuate;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the filter's memory of clean bodies answers: only the same bytes, for the same request,
 * with the same number of values served.
 */
class CleanBodiesTests {

	private final CleanBodies clean = new CleanBodies();

	@Test
	void isKnownCleanWhenSameBytesRequestAndCountIsTrue() {
		byte[] body = body(CleanBodies.MIN_LENGTH, 'a');
		this.clean.remember("/actuator/env", body, 3);
		assertThat(this.clean.isKnownClean("/actuator/env", body.clone(), 3)).isTrue();
	}

	@Test
	void isKnownCleanWhenCountChangedIsFalse() {
		byte[] body = body(CleanBodies.MIN_LENGTH, 'a');
		this.clean.remember("/actuator/env", body, 3);
		assertThat(this.clean.isKnownClean("/actuator/env", body, 4)).isFalse();
	}

	@Test
	void isKnownCleanWhenOneByteDiffersIsFalse() {
		byte[] body = body(CleanBodies.MIN_LENGTH, 'a');
		this.clean.remember("/actuator/env", body, 3);
		byte[] other = body.clone();
		other[other.length - 1] = 'b';
		assertThat(this.clean.isKnownClean("/actuator/env", other, 3)).isFalse();
	}

	@Test
	void isKnownCleanWhenOtherRequestIsFalse() {
		byte[] body = body(CleanBodies.MIN_LENGTH, 'a');
		this.clean.remember("/actuator/env", body, 3);
		assertThat(this.clean.isKnownClean("/actuator/configprops", body, 3)).isFalse();
	}

	@Test
	void rememberWhenBodySmallOrHugeKeepsNothing() {
		byte[] small = body(CleanBodies.MIN_LENGTH - 1, 'a');
		byte[] huge = body(CleanBodies.MAX_LENGTH + 1, 'a');
		this.clean.remember("/small", small, 1);
		this.clean.remember("/huge", huge, 1);
		assertThat(this.clean.isKnownClean("/small", small, 1)).isFalse();
		assertThat(this.clean.isKnownClean("/huge", huge, 1)).isFalse();
	}

	@Test
	void rememberWhenTooManyRequestsForgetsTheOthers() {
		byte[] body = body(CleanBodies.MIN_LENGTH, 'a');
		for (int i = 0; i < CleanBodies.MAX_REQUESTS; i++) {
			this.clean.remember("/r" + i, body, 1);
		}
		assertThat(this.clean.isKnownClean("/r0", body, 1)).isTrue();
		this.clean.remember("/one-more", body, 1);
		assertThat(this.clean.isKnownClean("/r0", body, 1)).isFalse();
		assertThat(this.clean.isKnownClean("/one-more", body, 1)).isTrue();
	}

	private static byte[] body(int length, char fill) {
		byte[] body = new byte[length];
		Arrays.fill(body, (byte) fill);
		return body;
	}

}
