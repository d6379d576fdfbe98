package dev.foyer.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

import org.springframework.stereotype.Component;

/**
 * This node's name in the cluster tables: the host name, for people reading {@code job_lease}, and a random part,
 * because several nodes may share a host (and the tests run three in one JVM).
 */
@Component
class ClusterNode {

	private final String id;

	ClusterNode() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			host = "node";
		}
		String name = host.length() > 60 ? host.substring(0, 60) : host;
		this.id = name + "/" + UUID.randomUUID().toString().substring(0, 8);
	}

	String id() {
		return this.id;
	}

}
