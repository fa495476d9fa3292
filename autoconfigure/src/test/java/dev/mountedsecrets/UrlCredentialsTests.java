package dev.mountedsecrets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which URLs and connection strings carry a password.
 */
class UrlCredentialsTests {

	@ParameterizedTest
	@ValueSource(strings = { "redis://:pw@cache:6379", "rediss://user:pw@cache:6380/0", "redis://pw@cache",
			"redis-sentinel://pw@s1:26379", "jdbc:postgresql://app_user:pw@db/app",
			"jdbc:postgresql://db/app?user=app_user&password=pw", "jdbc:mysql://db/app?useSSL=true&pwd=pw",
			"jdbc:sqlserver://db:1433;databaseName=app;password=pw", "r2dbc:postgresql://u:pw@db/app",
			"r2dbc:pool:postgresql://u:pw@db/app", "mongodb://u:pw@m1,m2/app", "amqp://u:pw@rabbit",
			"smtp://u:pw@mail:587", "https://api.example.com/hook?client_secret=pw", "  redis://:pw@cache  ",
			"jdbc:oracle:thin:app/pw@//db:1521/XE", "jdbc:mysql://(host=db,user=app,password=pw)/app",
			"jdbc:mysql://address=(host=db)(port=3306)(password=pw)/app" })
	void carryPasswordWhenUrlHoldsOneIsTrue(String url) {
		assertThat(UrlCredentials.carryPassword(url)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "redis://cache:6379", "jdbc:postgresql://db:5432/app?sslmode=require&user=app_user",
			"https://deploy@example.com/guide", "https://example.com/?passwordless=true", "jdbc:h2:mem:test",
			"http://localhost:8080/login?next=/password=reset", "plain text with user:pw@host", "password=pw",
			"r2dbc:postgresql://db/app", "redis://:@cache", "", "redis://:${secrets.file.redis_password}@cache:6379",
			"jdbc:postgresql://db/app?user=app_user&password=${DB_PASSWORD}", "jdbc:oracle:thin:@//db:1521/XE",
			"jdbc:mysql://(host=db,user=app)/app", "jdbc:oracle:thin:app/${secrets.file.db_password}@//db/XE" })
	void carryPasswordWhenUrlHoldsNoneIsFalse(String url) {
		// placeholders are the indirection to a secret file, not a password
		assertThat(UrlCredentials.carryPassword(url)).isFalse();
	}

	@Test
	void carryPasswordWhenValueIsLongAndPathologicalAnswersAtOnce() {
		assertThat(UrlCredentials.carryPassword("x:".repeat(4000) + "//u:pw@h")).isFalse();
		assertThat(UrlCredentials.carryPassword("a://" + ":".repeat(8000))).isFalse();
		assertThat(UrlCredentials.carryPassword("jdbc:postgresql://db/app?" + "a=b&".repeat(2000) + "password=pw"))
			.isTrue();
	}

}
