package dev.mountedsecrets.compat.authserver;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * A real OAuth2 authorization server (Spring Authorization Server, configured by Boot from
 * {@code spring.security.oauth2.authorizationserver.*}) that checks client secrets.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class AuthorizationServer {

}
