// Start Amazon DynamoDB Local listening on 127.0.0.1 only.
//
// DynamoDB Local's own main() binds every interface and has no option to choose one, so this
// launcher builds the server the same way, points its Jetty connector at the loopback address,
// and starts it. Telemetry is never configured, so nothing is sent anywhere. It exits when its
// standard input closes, so the process that started it cannot leave it behind.
// Run in source-file mode with DynamoDBLocal.jar on the class path (tests/support/dynamodb_local.py).

import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public final class LoopbackDynamoDBLocal {
    public static void main(String[] args) throws Exception {
        String host = System.getProperty("dynamodb.local.host", "127.0.0.1");
        DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
        Field field = DynamoDBProxyServer.class.getDeclaredField("server");
        field.setAccessible(true);
        Server server = (Server) field.get(proxy);
        Connector[] connectors = server.getConnectors();
        if (connectors.length == 0) {
            throw new IllegalStateException("DynamoDB Local created no connector to bind");
        }
        for (Connector connector : connectors) {
            ((ServerConnector) connector).setHost(host);
        }
        proxy.start();
        System.out.println("DynamoDB Local listening on " + host);
        System.out.flush();
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // Input is ignored; only its end matters.
                }
            } catch (java.io.IOException ignored) {
                // A broken pipe means the parent is gone too.
            }
            Runtime.getRuntime().halt(0);
        }, "exit-when-stdin-closes");
        watcher.setDaemon(true);
        watcher.start();
        proxy.join();
    }
}
