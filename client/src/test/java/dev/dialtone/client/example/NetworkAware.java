package dev.dialtone.client.example;

import dev.dialtone.client.Call;
import dev.dialtone.client.ConnectionState;
import dev.dialtone.client.DialtoneClient;
import dev.dialtone.client.DialtoneListener;
import dev.dialtone.protocol.EndReason;
import dev.dialtone.protocol.ResumeFailure;
import java.net.URI;
import java.time.Duration;

/** How an application follows resumes and reports network changes (shown in docs/sdk-java.md). */
public final class NetworkAware {

    public static DialtoneClient build(URI server, String token) {
        DialtoneListener listener = new DialtoneListener() {
            @Override
            public void onConnectionStateChanged(ConnectionState state) {
                System.out.println("connection: " + state);
            }

            @Override
            public void onResuming() {
                // Keep the call screen and the media as they are; show "reconnecting…".
                System.out.println("reconnecting…");
            }

            @Override
            public void onResumed(String previousResumeHandle, String newResumeHandle) {
                // Nothing was lost: events that happened meanwhile follow, each once, in order.
                System.out.println("back online");
            }

            @Override
            public void onResumeFailed(ResumeFailure reason) {
                // The session is gone; onEnded(CONNECTION_LOST) follows for each call, then
                // onDisconnected and DISCONNECTED. Sign in again with connect().
                System.out.println("session lost: " + reason.wire());
            }

            @Override
            public void onEnded(Call call, EndReason reason, String by, long durationMs) {
                System.out.println("call " + call.id() + " ended: " + reason.wire());
            }
        };
        return DialtoneClient.builder()
                .uri(server)
                .tokenSupplier(() -> token)
                .listener(listener)
                .reconnectBackoff(Duration.ofMillis(200), Duration.ofSeconds(10)) // default 100 ms → 5 s
                .resumeGiveUp(Duration.ofSeconds(30))                             // default: the server's window
                .build();
    }

    /** Wire this to the platform's network callback (Android ConnectivityManager, a desktop's route change…). */
    public static void onNetworkChanged(DialtoneClient client) {
        client.networkChanged();   // drop the old socket now and resume on the new network
    }

    private NetworkAware() {
    }
}
