package dev.dialtone.core;

import static dev.dialtone.core.CallFixture.ALICE;
import static dev.dialtone.core.CallFixture.BOB;
import static dev.dialtone.core.CallFixture.accept;
import static dev.dialtone.core.CallFixture.decline;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.core.Invitation.Availability;
import dev.dialtone.core.LineBook.Admission;
import dev.dialtone.protocol.DeclineReason;
import dev.dialtone.protocol.Media;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The cross-call facts: rules 1 (one outgoing call), 2 (busy), 3 (offline) and 7 (glare). */
class LineBookTest {

    private final LineBook lines = new LineBook();
    private final Map<String, Presence> presence = new HashMap<>();
    private final Function<String, Presence> reach = user -> presence.getOrDefault(user, Presence.ATTACHED);

    private Admission admit(String callId, String caller, String... invitees) {
        return admit(callId, caller, BusyPolicy.REJECT, invitees);
    }

    private Admission admit(String callId, String caller, BusyPolicy policy, String... invitees) {
        return lines.admit(callId, caller, List.of(invitees), policy, reach);
    }

    private static List<Invitation> invitations(Admission admission) {
        assertThat(admission).isInstanceOf(Admission.Admitted.class);
        return ((Admission.Admitted) admission).invitations();
    }

    /** Creates the call of an admitted invite by alice and brings the lines up to date. */
    private Call created(String callId, Admission admission) {
        Call call = new CallMachine(CallPolicy.DEFAULT, new CallFixture.SequentialIds())
                .create(callId, ALICE, invitations(admission), Media.AUDIO, null, null, CallFixture.T0).call();
        lines.update(call);
        return call;
    }

    // ================================================================================================
    @Nested
    class Admit {

        @Test
        void classifies_each_invitee_by_presence_and_engagement() {
            presence.put("dave", Presence.DETACHED);
            presence.put("erin", Presence.OFFLINE);
            admit("c-0", "frank", "carol");

            List<Invitation> result = invitations(admit("c-1", "alice", "bob", "carol", "dave", "erin"));

            assertThat(result).containsExactly(
                    new Invitation("bob", Availability.FREE, true),
                    new Invitation("carol", Availability.BUSY, true),
                    new Invitation("dave", Availability.FREE, false),
                    new Invitation("erin", Availability.OFFLINE, false));
        }

        @Test
        void claims_the_caller_and_the_invitees_who_will_ring_but_not_the_busy_or_offline_ones() {
            presence.put("erin", Presence.OFFLINE);
            admit("c-0", "frank", "carol");

            admit("c-1", "alice", "bob", "carol", "erin");

            assertThat(lines.outgoing("alice")).isEqualTo("c-1");
            assertThat(lines.callsOf("alice")).containsExactly("c-1");
            assertThat(lines.callsOf("bob")).containsExactly("c-1");
            assertThat(lines.callsOf("carol")).containsExactly("c-0");
            assertThat(lines.engaged("erin")).isFalse();
        }

        @Test
        void under_call_waiting_an_engaged_invitee_is_waiting_and_claimed() {
            admit("c-0", "frank", "carol");

            List<Invitation> result = invitations(admit("c-1", "alice", BusyPolicy.WAITING, "bob", "carol"));

            assertThat(result).extracting(Invitation::availability)
                    .containsExactly(Availability.FREE, Availability.WAITING);
            assertThat(lines.callsOf("carol")).containsExactlyInAnyOrder("c-0", "c-1");
        }

        @Test
        void a_caller_whose_invite_rings_is_caller_busy_and_nothing_is_claimed() {
            admit("c-1", "alice", "bob");

            assertThat(admit("c-2", "alice", "carol")).isEqualTo(new Admission.CallerBusy("c-1"));
            assertThat(lines.engaged("carol")).isFalse();
            assertThat(lines.callsOf("alice")).containsExactly("c-1");
            assertThat(lines.callsOf("bob")).containsExactly("c-1");
        }
    }

    // ================================================================================================
    @Nested
    class Update {

        @Test
        void a_participant_who_joins_again_is_engaged_again() {
            Call ringing = created("c-1", admit("c-1", "alice", "bob", "carol"));
            CallMachine machine = new CallMachine(CallPolicy.DEFAULT, new CallFixture.SequentialIds());
            Call active = ((Outcome.Transition) machine.apply(ringing, accept(BOB), CallFixture.T0)).call();
            Call declined = ((Outcome.Transition) machine.apply(active,
                    decline(CallFixture.CAROL, dev.dialtone.protocol.DeclineReason.REFUSED), CallFixture.T0)).call();
            lines.update(declined);
            assertThat(lines.engaged("carol")).isFalse();

            Call rejoined = ((Outcome.Transition) machine.apply(declined, new Action.Join(CallFixture.CAROL),
                    CallFixture.T0)).call();
            lines.update(rejoined);

            assertThat(lines.callsOf("carol")).containsExactly("c-1");
        }

        @Test
        void answering_settles_the_caller_outgoing_line_but_keeps_both_engaged() {
            Call ringing = created("c-1", admit("c-1", "alice", "bob"));
            CallMachine machine = new CallMachine(CallPolicy.DEFAULT, new CallFixture.SequentialIds());

            lines.update(((Outcome.Transition) machine.apply(ringing, accept(BOB), CallFixture.T0)).call());

            assertThat(lines.outgoing("alice")).isNull();
            assertThat(lines.engaged("alice")).isTrue();
            assertThat(lines.engaged("bob")).isTrue();
            assertThat(lines.callsOf("bob")).containsExactly("c-1");
        }

        @Test
        void a_declined_invitee_of_a_call_that_still_rings_is_released_alone() {
            Call ringing = created("c-1", admit("c-1", "alice", "bob", "carol"));
            CallMachine machine = new CallMachine(CallPolicy.DEFAULT, new CallFixture.SequentialIds());

            Call after = ((Outcome.Transition) machine.apply(ringing, decline(BOB, DeclineReason.REFUSED),
                    CallFixture.T0)).call();
            lines.update(after);

            assertThat(lines.engaged("bob")).isFalse();
            assertThat(lines.callsOf("carol")).containsExactly("c-1");
            assertThat(lines.outgoing("alice")).isEqualTo("c-1");
        }

        @Test
        void an_ended_call_releases_everyone() {
            Call ringing = created("c-1", admit("c-1", "alice", "bob", "carol"));
            CallMachine machine = new CallMachine(CallPolicy.DEFAULT, new CallFixture.SequentialIds());

            lines.update(((Outcome.Transition) machine.apply(ringing, CallFixture.cancel(ALICE),
                    CallFixture.T0)).call());

            assertThat(lines.engagedUsers()).isZero();
            assertThat(Stream.of("alice", "bob", "carol")).noneMatch(lines::engaged);
        }

        @Test
        void release_frees_one_user_from_one_call_only() {
            admit("c-0", "frank", "bob");
            admit("c-1", "alice", BusyPolicy.WAITING, "bob");

            lines.release("c-0", "bob");

            assertThat(lines.callsOf("bob")).containsExactly("c-1");
            assertThat(lines.callsOf("frank")).containsExactly("c-0");
        }
    }

    // ================================================================================================
    /** Rule 7. */
    @Nested
    class Glare {

        @Test
        void inviting_someone_whose_invite_to_you_rings_meets_that_call() {
            created("c-1", admit("c-1", "alice", "bob"));

            assertThat(admit("c-2", "bob", "alice")).isEqualTo(new Admission.Glare("c-1"));

            assertThat(lines.outgoing("bob")).isNull();
            assertThat(lines.callsOf("bob")).containsExactly("c-1");
            assertThat(lines.callsOf("alice")).containsExactly("c-1");
            assertThat(admit("c-3", "bob", "carol")).isInstanceOf(Admission.Admitted.class);
        }

        @Test
        void an_invite_to_several_users_is_never_glare() {
            admit("c-1", "alice", "bob");

            List<Invitation> result = invitations(admit("c-2", "bob", "alice", "carol"));

            assertThat(result).extracting(Invitation::availability)
                    .containsExactly(Availability.BUSY, Availability.FREE);
        }

        @Test
        void an_answered_call_is_no_glare_the_other_side_is_simply_busy() {
            Call ringing = created("c-1", admit("c-1", "alice", "bob"));
            CallMachine machine = new CallMachine(CallPolicy.DEFAULT, new CallFixture.SequentialIds());
            lines.update(((Outcome.Transition) machine.apply(ringing, accept(BOB), CallFixture.T0)).call());

            assertThat(invitations(admit("c-2", "bob", "alice"))).extracting(Invitation::availability)
                    .containsExactly(Availability.BUSY);
        }

        @Test
        void crossing_invites_keep_the_older_one_when_the_younger_runs_inside_the_older() {
            Admission[] bobs = new Admission[1];
            Function<String, Presence> bobInvitesMeanwhile = user -> {
                bobs[0] = lines.admit("c-2", "bob", List.of("alice"), BusyPolicy.REJECT, reach);
                return Presence.ATTACHED;
            };

            Admission alices = lines.admit("c-1", "alice", List.of("bob"), BusyPolicy.REJECT, bobInvitesMeanwhile);

            assertThat(bobs[0]).isEqualTo(new Admission.Glare("c-1"));
            assertThat(invitations(alices)).containsExactly(new Invitation("bob", Availability.FREE, true));
            assertThat(lines.outgoing("bob")).isNull();
            assertThat(lines.callsOf("bob")).containsExactly("c-1");
        }
        @Test
        void crossing_invites_merge_even_when_the_older_one_is_pre_empted_before_it_claims_its_line()
                throws Exception {
            Admission[] bobs = new Admission[1];
            // Simulates a pre-emption of alice's admit right before it claims her own line: the first
            // time the book is about to change alice's line, bob's whole invite to alice runs first.
            interceptFirstCompute(lines, "alice",
                    () -> bobs[0] = lines.admit("c-2", "bob", List.of("alice"), BusyPolicy.REJECT, reach));

            Admission alices = lines.admit("c-1", "alice", List.of("bob"), BusyPolicy.REJECT, reach);

            assertThat(bobs[0]).as("bob's invite ran in between").isNotNull();
            assertThat(Stream.of(alices, bobs[0]).filter(Admission.Glare.class::isInstance))
                    .as("exactly one of two crossing invites merges into the other: %s, %s", alices, bobs[0])
                    .hasSize(1);
        }

        /** Replaces the book's line map by one that runs {@code meanwhile} before its first compute on {@code key}. */
        @SuppressWarnings({"unchecked", "rawtypes"})
        private static void interceptFirstCompute(LineBook book, String key, Runnable meanwhile)
                throws ReflectiveOperationException {
            Field field = LineBook.class.getDeclaredField("lines");
            field.setAccessible(true);
            ConcurrentHashMap intercepting = new ConcurrentHashMap() {
                private boolean fired;

                @Override
                public Object compute(Object k, BiFunction remapping) {
                    if (!fired && key.equals(k)) {
                        fired = true;
                        meanwhile.run();
                    }
                    return super.compute(k, remapping);
                }
            };
            intercepting.putAll((Map) field.get(book));
            field.set(book, intercepting);
        }
    }

    // ================================================================================================
    @Nested
    class Concurrency {

        private static final int THREADS = 16;
        private static final int ROUNDS = 200;

        private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

        @AfterEach
        void stopPool() {
            pool.shutdownNow();
        }

        /** Runs one task per index on its own thread, all released at once; returns the results in index order. */
        private <T> List<T> atOnce(Function<Integer, T> task) throws Exception {
            CountDownLatch ready = new CountDownLatch(THREADS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return task.apply(index);
                }));
            }
            ready.await();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(10, TimeUnit.SECONDS));
            }
            return results;
        }

        @Test
        @Timeout(60)
        void many_callers_inviting_the_same_free_callee_at_once_ring_exactly_one() throws Exception {
            for (int round = 0; round < ROUNDS; round++) {
                LineBook book = new LineBook();

                List<Admission> admissions = atOnce(i -> book.admit("c-" + i, "caller-" + i,
                        List.of("bob"), BusyPolicy.REJECT, user -> Presence.ATTACHED));

                List<Availability> bobs = admissions.stream()
                        .map(a -> ((Admission.Admitted) a).invitations().get(0).availability()).toList();
                assertThat(bobs).as("round %d", round).containsOnlyOnce(Availability.FREE);
                assertThat(bobs).filteredOn(Availability.BUSY::equals).hasSize(THREADS - 1);
                int winner = bobs.indexOf(Availability.FREE);
                assertThat(book.callsOf("bob")).containsExactly("c-" + winner);
            }
        }

        @Test
        @Timeout(60)
        void many_callers_under_call_waiting_ring_one_free_and_the_rest_waiting() throws Exception {
            for (int round = 0; round < ROUNDS; round++) {
                LineBook book = new LineBook();

                List<Admission> admissions = atOnce(i -> book.admit("c-" + i, "caller-" + i,
                        List.of("bob"), BusyPolicy.WAITING, user -> Presence.ATTACHED));

                List<Availability> bobs = admissions.stream()
                        .map(a -> ((Admission.Admitted) a).invitations().get(0).availability()).toList();
                assertThat(bobs).as("round %d", round).containsOnlyOnce(Availability.FREE);
                assertThat(book.callsOf("bob")).hasSize(THREADS);
            }
        }

        @Test
        @Timeout(60)
        void one_caller_inviting_many_at_once_gets_exactly_one_outgoing_call() throws Exception {
            for (int round = 0; round < ROUNDS; round++) {
                LineBook book = new LineBook();

                List<Admission> admissions = atOnce(i -> book.admit("c-" + i, "alice",
                        List.of("callee-" + i), BusyPolicy.REJECT, user -> Presence.ATTACHED));

                List<Admission> admitted = admissions.stream().filter(Admission.Admitted.class::isInstance).toList();
                assertThat(admitted).as("round %d", round).hasSize(1);
                String winner = "c-" + admissions.indexOf(admitted.get(0));
                assertThat(admissions).filteredOn(Admission.CallerBusy.class::isInstance)
                        .hasSize(THREADS - 1)
                        .allMatch(a -> ((Admission.CallerBusy) a).ringingCallId().equals(winner));
                assertThat(book.outgoing("alice")).isEqualTo(winner);
                assertThat(book.engagedUsers()).isEqualTo(2);
            }
        }
    }
}
