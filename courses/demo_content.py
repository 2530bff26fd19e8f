"""The text of the demo courses, written for the platform, in French and in English.

Each lesson is (slug, title, rule, preview, body); bodies use the raw StreamField format.
"""

from __future__ import annotations


def p(*paragraphs: str) -> dict:
    return {"type": "paragraph", "value": "".join(f"<p>{text}</p>" for text in paragraphs)}


def heading(text: str) -> dict:
    return {"type": "heading", "value": {"text": text, "level": "h2"}}


def callout(title: str, body: str, kind: str = "info") -> dict:
    return {"type": "callout", "value": {"kind": kind, "title": title, "body": f"<p>{body}</p>"}}


def quote(text: str, attribution: str = "") -> dict:
    return {"type": "quote", "value": {"text": text, "attribution": attribution}}


def exercise(title: str, situation: str, instructions: str, debrief: str) -> dict:
    return {
        "type": "exercise",
        "value": {
            "title": title,
            "situation": f"<p>{situation}</p>",
            "instructions": f"<p>{instructions}</p>",
            "debrief": f"<p>{debrief}</p>",
        },
    }


def reflection(prompt: str, guidance: str = "") -> dict:
    return {"type": "reflection", "value": {"prompt": prompt, "guidance": guidance}}


def answer(text: str, correct: bool, explanation: str) -> dict:
    return {"text": text, "correct": correct, "explanation": explanation}


def question(text: str, answers: list[dict], kind: str = "single") -> dict:
    return {"text": text, "kind": kind, "answers": answers}


def quiz(title: str, questions: list[dict], pass_mark: int = 70, max_attempts=None) -> dict:
    return {
        "type": "quiz",
        "value": {
            "title": title,
            "pass_mark": pass_mark,
            "max_attempts": max_attempts,
            "questions": questions,
        },
    }


# --- 1. Introduction (free, French and English) --------------------------------------------------

INTRO_FR = {
    "slug": "decouvrir-la-therapie-sociale",
    "title": "Découvrir la Thérapie Sociale",
    "summary": (
        "Une première approche, gratuite, de ce que fait un·e intervenant·e en Thérapie "
        "Sociale TST® : comprendre les blocages de la coopération et voir comment le conflit, "
        "bien accueilli, aide un groupe à en sortir."
    ),
    "objectives": (
        "<ul><li>Reconnaître les signes d'une coopération bloquée dans un quartier, une équipe "
        "ou une institution.</li><li>Distinguer la violence du conflit.</li><li>Situer les sept "
        "étapes de l'intervention.</li></ul>"
    ),
    "audience": (
        "Toute personne curieuse de la méthode : travailleurs sociaux, enseignant·es, "
        "managers, élu·es, habitant·es engagé·es."
    ),
    "prerequisites_text": "Aucun.",
    "teaching_methods": (
        "Formation en ligne à son rythme : textes courts, exemples tirés de situations "
        "réelles et questions de réflexion à garder pour soi ou pour la supervision."
    ),
    "assessment_methods": (
        "Chaque leçon est validée une fois lue ou son quiz réussi ; une attestation de fin "
        "de formation est délivrée quand toutes le sont."
    ),
    "access_delay": "Accès immédiat, dès l'inscription.",
    "duration_hours": "3",
    "price_cents": 0,
    "steps": ["confiance", "conflits", "informations"],
    "counts_towards_certification": True,
    "modules": ["Pourquoi intervenir ?", "Du conflit à la coopération"],
    "lessons": [
        (
            0,
            "quand-la-cooperation-se-bloque",
            "Quand la coopération se bloque",
            "mark_done",
            True,
            [
                p(
                    "Une école où parents et enseignant·es ne se parlent plus qu'à travers des "
                    "plaintes, une équipe soignante divisée en clans, un quartier où chaque "
                    "groupe accuse l'autre de ses difficultés : dans ces situations, personne "
                    "ne manque de bonne volonté, et pourtant plus rien n'avance.",
                    "La Thérapie Sociale part de ce constat : lorsque la coopération est "
                    "bloquée, un collectif ne parvient plus à remplir sa mission, et les "
                    "personnes n'arrivent plus à vivre ou travailler ensemble.",
                ),
                heading("Ce que fait l'intervenant·e"),
                p(
                    "L'intervenant·e ne vient pas avec une solution toute faite. Son rôle est "
                    "d'aider le groupe à renouer des liens entre toutes ses parties, à sortir "
                    "peu à peu des rapports de violence, et à traiter ensemble les désaccords "
                    "pour construire des réponses réalistes à des problèmes souvent complexes."
                ),
                callout(
                    "À retenir",
                    "Le but premier n'est pas d'apaiser à tout prix, mais de rendre possible "
                    "une action commune.",
                ),
            ],
        ),
        (
            0,
            "la-violence-comme-symptome",
            "La violence comme symptôme",
            "mark_done",
            False,
            [
                p(
                    "Dans cette approche, la violence n'est pas seulement un comportement à "
                    "sanctionner : elle signale qu'un système humain ne parvient plus à faire "
                    "circuler ce qui le traverse. Peurs, préjugés, sentiment d'injustice, "
                    "informations retenues : tout ce qui ne peut pas se dire finit par "
                    "s'exprimer autrement.",
                    "Elle peut être visible (insultes, dégradations, agressions) ou plus "
                    "discrète : mépris, évitement, rumeurs, repli de chacun sur son groupe.",
                ),
                exercise(
                    "La réunion de rentrée",
                    "Lors de la réunion de rentrée d'un collège, un parent interpelle "
                    "violemment le principal au sujet de la sécurité aux abords de "
                    "l'établissement. Les enseignant·es se taisent, d'autres parents quittent "
                    "la salle.",
                    "Notez ce que cette scène peut exprimer au-delà de la colère visible. "
                    "Quelles informations ne circulent pas entre les personnes présentes ?",
                    "La colère peut porter une peur réelle pour les enfants, un sentiment de ne "
                    "pas être entendu, une méfiance ancienne envers l'institution. Le silence "
                    "des autres est aussi une information : chacun se protège.",
                ),
            ],
        ),
        (
            1,
            "le-conflit-constructif",
            "Le conflit constructif",
            "pass_quiz",
            False,
            [
                p(
                    "Les conflits sont inévitables dès que des personnes vivent ou travaillent "
                    "ensemble. Ils portent des regards différents, souvent complémentaires, sur "
                    "une même réalité. Les étouffer prive le groupe de ces informations ; les "
                    "laisser dégénérer nourrit la violence.",
                    "L'intervention organise donc des espaces où les désaccords peuvent être "
                    "exprimés et traversés, dans un cadre sûr. Ce qui en ressort éclaire la "
                    "situation et prépare des décisions prises ensemble.",
                ),
                quote(
                    "Un conflit que l'on peut traverser devient une source d'informations "
                    "pour tout le groupe."
                ),
                quiz(
                    "Vérifier sa compréhension",
                    [
                        question(
                            "Quelle différence fait la Thérapie Sociale entre violence et "
                            "conflit ?",
                            [
                                answer(
                                    "Le conflit peut être traversé et apporter des "
                                    "informations ; la violence signale qu'il ne peut plus "
                                    "l'être.",
                                    True,
                                    "Exactement : l'intervention cherche à transformer la "
                                    "violence en conflit que l'on peut travailler.",
                                ),
                                answer(
                                    "Aucune : il faut éviter les deux.",
                                    False,
                                    "Éviter le conflit prive le groupe d'informations "
                                    "précieuses ; c'est souvent ce qui fait monter la "
                                    "violence.",
                                ),
                                answer(
                                    "Le conflit est toujours plus grave que la violence.",
                                    False,
                                    "C'est l'inverse : un conflit exprimé dans un cadre sûr "
                                    "est une ressource.",
                                ),
                            ],
                        ),
                        question(
                            "Que permet un espace de conflit constructif ?",
                            [
                                answer(
                                    "Faire émerger des points de vue différents sur la même "
                                    "situation.",
                                    True,
                                    "Oui : ces regards différents sont souvent complémentaires.",
                                ),
                                answer(
                                    "Préparer des décisions prises ensemble.",
                                    True,
                                    "Oui : ce qui est compris ensemble peut être décidé ensemble.",
                                ),
                                answer(
                                    "Désigner le responsable du blocage.",
                                    False,
                                    "Non : la méthode cherche des responsabilités partagées, "
                                    "pas un coupable.",
                                ),
                            ],
                            kind="multiple",
                        ),
                    ],
                    pass_mark=50,
                ),
            ],
        ),
        (
            1,
            "ma-premiere-observation",
            "Ma première observation",
            "submit_reflection",
            False,
            [
                p(
                    "Pour terminer cette introduction, regardez un collectif que vous "
                    "connaissez bien : votre équipe, une association, votre immeuble. "
                    "Où la coopération fonctionne-t-elle, où se bloque-t-elle ?"
                ),
                reflection(
                    "Décrivez une situation où la coopération s'est bloquée autour de vous. "
                    "Qu'est-ce qui, selon vous, ne pouvait pas se dire ?",
                    "Quelques lignes suffisent. Votre réponse n'est visible que par vous.",
                ),
            ],
        ),
    ],
}

INTRO_EN = {
    "slug": INTRO_FR["slug"],
    "title": "Discovering Social Therapy",
    "summary": (
        "A free first look at what a Social Therapy TST® practitioner does: understanding "
        "why cooperation gets blocked, and how conflict, once welcomed, helps a group out."
    ),
    "objectives": (
        "<ul><li>Recognise the signs of blocked cooperation in a neighbourhood, a team or an "
        "institution.</li><li>Tell violence from conflict.</li><li>Place the seven steps of the "
        "intervention.</li></ul>"
    ),
    "audience": (
        "Anyone curious about the method: social workers, teachers, managers, elected "
        "officials, engaged residents."
    ),
    "prerequisites_text": "None.",
    "teaching_methods": (
        "Self-paced online course: short texts, examples drawn from real situations and "
        "reflection questions to keep for yourself or for supervision."
    ),
    "assessment_methods": (
        "Each lesson is validated once read or once its quiz is passed; a certificate of "
        "completion is issued when all of them are."
    ),
    "access_delay": "Immediate access, as soon as you enrol.",
    "modules": ["Why intervene?", "From conflict to cooperation"],
    "lessons": {
        "quand-la-cooperation-se-bloque": (
            "When cooperation gets blocked",
            [
                p(
                    "A school where parents and teachers only talk through complaints, a care "
                    "team split into camps, a neighbourhood where each group blames the other: "
                    "nobody lacks goodwill, yet nothing moves any more.",
                    "Social Therapy starts there: when cooperation is blocked, a group can no "
                    "longer fulfil its mission, and people can no longer live or work together.",
                ),
                heading("What the practitioner does"),
                p(
                    "The practitioner brings no ready-made answer. Their role is to help the "
                    "group reconnect all its parts, step out of violence little by little, and "
                    "work through disagreements together towards realistic answers."
                ),
                callout(
                    "Key point",
                    "The first aim is not peace at any price, but making joint action possible.",
                ),
            ],
        ),
        "la-violence-comme-symptome": (
            "Violence as a symptom",
            [
                p(
                    "Here violence is not only behaviour to punish: it signals that a human "
                    "system can no longer let what runs through it circulate. Fear, prejudice, "
                    "a sense of injustice, withheld information: what cannot be said ends up "
                    "expressed some other way.",
                    "It may be visible (insults, damage, assaults) or quieter: contempt, "
                    "avoidance, rumours, each group withdrawing into itself.",
                ),
                exercise(
                    "The back-to-school meeting",
                    "At a secondary school's first meeting of the year, a parent angrily "
                    "challenges the head about safety outside the school. Teachers stay "
                    "silent; other parents leave.",
                    "Note what this scene may express beyond the visible anger. What "
                    "information is not circulating between the people present?",
                    "The anger may carry a real fear for the children, a feeling of not being "
                    "heard, an old mistrust of the institution. The others' silence is "
                    "information too: everyone is protecting themselves.",
                ),
            ],
        ),
        "le-conflit-constructif": (
            "Constructive conflict",
            [
                p(
                    "Conflict is unavoidable wherever people live or work together. It carries "
                    "different, often complementary views of the same reality. Smothering it "
                    "deprives the group of that information; letting it escalate feeds "
                    "violence.",
                    "So the intervention sets up spaces where disagreements can be voiced and "
                    "worked through, in a safe setting. What comes out of them sheds light on "
                    "the situation and prepares decisions taken together.",
                ),
                quote(
                    "A conflict that can be worked through becomes a source of information for "
                    "the whole group."
                ),
                quiz(
                    "Check your understanding",
                    [
                        question(
                            "How does Social Therapy tell violence from conflict?",
                            [
                                answer(
                                    "Conflict can be worked through and brings information; "
                                    "violence signals that it no longer can.",
                                    True,
                                    "Exactly: the intervention turns violence into conflict "
                                    "that can be worked on.",
                                ),
                                answer(
                                    "It doesn't: both must be avoided.",
                                    False,
                                    "Avoiding conflict deprives the group of valuable "
                                    "information; that is often what makes violence rise.",
                                ),
                                answer(
                                    "Conflict is always worse than violence.",
                                    False,
                                    "The reverse: conflict voiced in a safe setting is a resource.",
                                ),
                            ],
                        ),
                        question(
                            "What does a space of constructive conflict allow?",
                            [
                                answer(
                                    "Bringing out different views of the same situation.",
                                    True,
                                    "Yes: those views are often complementary.",
                                ),
                                answer(
                                    "Preparing decisions taken together.",
                                    True,
                                    "Yes: what is understood together can be decided together.",
                                ),
                                answer(
                                    "Naming who is to blame.",
                                    False,
                                    "No: the method looks for shared responsibilities, not a "
                                    "culprit.",
                                ),
                            ],
                            kind="multiple",
                        ),
                    ],
                    pass_mark=50,
                ),
            ],
        ),
        "ma-premiere-observation": (
            "My first observation",
            [
                p(
                    "To close this introduction, look at a group you know well: your team, an "
                    "association, your building. Where does cooperation work, where does it "
                    "get stuck?"
                ),
                reflection(
                    "Describe a situation around you where cooperation got blocked. What, in "
                    "your view, could not be said?",
                    "A few lines are enough. Only you can see your answer.",
                ),
            ],
        ),
    },
}

# --- 2. The seven-step process (paid, one module per step) ---------------------------------------

STEP_LESSONS = [
    (
        "inspirer-confiance",
        "Inspirer confiance",
        "Avant toute chose, l'intervenant·e doit pouvoir être perçu·e comme au service de "
        "toutes les parties, et non d'un camp. Cela passe par un objectif modeste et "
        "atteignable, annoncé clairement, et par des garanties explicites : sécurité des "
        "personnes, participation de chacun, confidentialité de ce qui se dit.",
        "Une directrice vous demande d'intervenir pour « recadrer » une équipe jugée "
        "difficile. Comment présentez-vous votre rôle à l'équipe dès la première rencontre ?",
    ),
    (
        "faire-un-contrat-commun",
        "Faire un contrat commun",
        "Le contrat ne se décrète pas : il se construit en écoutant les besoins réels des "
        "personnes, y compris leurs doutes et leur méfiance envers la démarche. C'est en "
        "accueillant ces réserves qu'on peut s'accorder, de façon explicite, sur un but que "
        "chacun reconnaît comme le sien.",
        "Lors de la première séance, un agent déclare : « Encore une formation qui ne "
        "changera rien. » Que faites-vous de cette phrase ?",
    ),
    (
        "calmer-les-peurs-en-sous-groupes",
        "Calmer les peurs en sous-groupes hétérogènes",
        "Des personnes qui se croisent sans se parler se connaissent surtout par leurs "
        "préjugés. Réunies en petits groupes mêlés — habitant·es et professionnel·les, "
        "cadres et agents, anciens et nouveaux —, elles peuvent se découvrir autrement et "
        "voir baisser peu à peu leurs craintes réciproques.",
        "Comment composeriez-vous trois sous-groupes dans un service où les équipes de jour "
        "et de nuit s'accusent mutuellement ?",
    ),
    (
        "creer-des-espaces-de-conflits-constructifs",
        "Créer des espaces de conflits constructifs",
        "Une fois la confiance installée, les désaccords peuvent apparaître sans menacer le "
        "groupe. L'intervenant·e les fait émerger, veille à ce que chaque point de vue soit "
        "entendu, et aide à les traverser plutôt qu'à les contourner.",
        "En séance, deux collègues haussent le ton sur la répartition des tâches. Quelles "
        "sont vos premières paroles ?",
    ),
    (
        "faire-circuler-les-informations",
        "Faire circuler les informations",
        "Beaucoup de blocages tiennent à ce que chacun ignore des contraintes des autres. "
        "Faire circuler ces informations permet de voir les responsabilités comme partagées "
        "et de préparer des décisions prises ensemble plutôt qu'imposées.",
        "Quelles informations, aujourd'hui retenues dans votre organisation, changeraient "
        "la façon dont les équipes se jugent ?",
    ),
    (
        "construire-l-intelligence-collective",
        "Construire l'intelligence collective",
        "Par des exercices et des mises en situation, chacun peut raconter sa réalité et "
        "entendre celle des autres. Le groupe prend alors conscience, ensemble, des causes "
        "de ses difficultés : c'est cette compréhension commune qui rend les solutions "
        "possibles.",
        "Imaginez un jeu de rôle où les participants échangent leurs places. Quel moment "
        "de leur quotidien leur feriez-vous rejouer ?",
    ),
    (
        "resoudre-les-problemes-complexes",
        "Résoudre les problèmes complexes",
        "La dernière étape accompagne le groupe jusqu'à des solutions réalistes et souvent "
        "inventives. Elles ne viennent pas de l'intervenant·e : elles naissent de tout le "
        "travail précédent, et le groupe peut les porter parce qu'il les a construites.",
        "Le groupe propose une solution qui vous paraît fragile. Comment l'aidez-vous à en "
        "éprouver le réalisme sans la disqualifier ?",
    ),
]

PROCESS_QUIZ = quiz(
    "Les sept étapes",
    [
        question(
            "Quelle est la première étape de l'intervention ?",
            [
                answer(
                    "Inspirer confiance",
                    True,
                    "Oui : sans confiance dans l'intervenant·e, rien d'autre n'est possible.",
                ),
                answer(
                    "Résoudre les problèmes complexes",
                    False,
                    "C'est la dernière étape : elle s'appuie sur toutes les autres.",
                ),
                answer(
                    "Faire circuler les informations",
                    False,
                    "C'est la cinquième étape ; elle suppose un contrat et de la confiance.",
                ),
            ],
        ),
        question(
            "Pourquoi former des sous-groupes hétérogènes ?",
            [
                answer(
                    "Pour que des personnes qui se côtoient peu se découvrent autrement.",
                    True,
                    "Oui : la rencontre fait baisser les préjugés.",
                ),
                answer(
                    "Pour faire baisser les peurs réciproques.",
                    True,
                    "Oui : c'est le sens même de cette étape.",
                ),
                answer(
                    "Pour séparer les personnes en conflit.",
                    False,
                    "Non : on mêle justement des personnes qui se craignent.",
                ),
            ],
            kind="multiple",
        ),
        question(
            "D'où viennent les solutions à la dernière étape ?",
            [
                answer(
                    "Du groupe, grâce au travail mené ensemble.",
                    True,
                    "Oui : le groupe peut porter ce qu'il a construit.",
                ),
                answer(
                    "De l'expertise de l'intervenant·e.",
                    False,
                    "L'intervenant·e accompagne, mais ne décide pas à la place du groupe.",
                ),
            ],
        ),
    ],
    pass_mark=70,
    max_attempts=3,
)

PROCESS = {
    "slug": "processus-d-intervention-en-sept-etapes",
    "title": "Le processus d'intervention en sept étapes",
    "summary": (
        "Le cœur du métier d'intervenant·e : les sept étapes qui mènent un groupe de la "
        "méfiance à des solutions construites ensemble, chacune étudiée dans son propre module."
    ),
    "objectives": (
        "<ul><li>Enchaîner les sept étapes et savoir pourquoi cet ordre compte.</li>"
        "<li>Préparer une première séance.</li><li>Repérer à quelle étape se trouve un "
        "groupe.</li></ul>"
    ),
    "audience": "Personnes ayant suivi l'introduction et se destinant à la certification TST®.",
    "prerequisites_text": "Expérience professionnelle auprès de publics ou de groupes.",
    "teaching_methods": (
        "Un module par étape du processus : apports, étude d'un cas de terrain où l'on "
        "cherche ce que l'intervenant·e ferait, puis une mise en pratique à écrire."
    ),
    "assessment_methods": (
        "Quiz noté à la fin du parcours (trois tentatives) et réflexions écrites relues en "
        "supervision ; une attestation est délivrée à la fin."
    ),
    "access_delay": "Accès dès le paiement confirmé ; sessions en groupe sur inscription.",
    # Three days of seven hours, as its sessions hold them (9:00 to 12:30, 13:30 to 17:00).
    "duration_hours": "21",
    "price_cents": 84000,
    "steps": [
        "confiance",
        "contrat",
        "sous_groupes",
        "conflits",
        "informations",
        "intelligence",
        "solutions",
    ],
    "counts_towards_certification": True,
}

PROCESS_REFLECTION_GUIDANCE = "Notez votre réponse ; vous pourrez la relire en supervision."
PROCESS_MODULE = "Étape {number} : {title}"

# The English process course: the steps in the order of STEP_LESSONS, (title, text, case).
STEP_LESSONS_EN = [
    (
        "Inspiring trust",
        "Before anything else, the practitioner has to be seen as serving every party rather "
        "than one side. That takes a modest, reachable goal, stated plainly, and explicit "
        "guarantees: people's safety, everyone's participation, and confidentiality for what is "
        "said.",
        "A manager asks you to come and \u201cstraighten out\u201d a team she finds difficult. "
        "How do you introduce your role to the team at your very first meeting?",
    ),
    (
        "Agreeing a common contract",
        "A contract cannot be imposed: it is built by listening to people's real needs, their "
        "doubts and their mistrust of the process included. Welcoming those reservations is what "
        "makes it possible to agree, explicitly, on a goal that everyone recognises as their own.",
        "At the first session, a member of staff says: \u201cAnother training course that will "
        "change nothing.\u201d What do you do with that remark?",
    ),
    (
        "Calming fears in mixed small groups",
        "People who cross paths without talking mostly know each other through their "
        "prejudices. Brought together in small mixed groups (residents and professionals, "
        "managers and staff, old hands and newcomers), they can discover one another "
        "differently and gradually lower their mutual fears.",
        "How would you form three small groups in a department where the day and night teams "
        "blame each other?",
    ),
    (
        "Creating spaces for constructive conflict",
        "Once trust is in place, disagreements can come out without threatening the group. The "
        "practitioner brings them to the surface, makes sure every point of view is heard, and "
        "helps the group work through them rather than around them.",
        "During a session, two colleagues raise their voices over how tasks are shared out. "
        "What are your first words?",
    ),
    (
        "Letting information circulate",
        "Many deadlocks come from each person not knowing the constraints of the others. Letting "
        "that information circulate shows responsibilities as shared and prepares decisions "
        "taken together rather than imposed.",
        "What information, held back in your organisation today, would change the way teams "
        "judge one another?",
    ),
    (
        "Building collective intelligence",
        "Through exercises and role play, each person can tell their own reality and hear that "
        "of the others. The group then becomes aware, together, of the causes of its "
        "difficulties: this shared understanding is what makes solutions possible.",
        "Imagine a role play in which participants swap places. Which moment of their daily work "
        "would you have them act out?",
    ),
    (
        "Solving complex problems",
        "The last step accompanies the group towards realistic and often inventive solutions. "
        "They do not come from the practitioner: they grow out of all the work done before, and "
        "the group can carry them because it built them.",
        "The group proposes a solution that looks fragile to you. How do you help it test how "
        "realistic it is without dismissing it?",
    ),
]

PROCESS_REFLECTION_GUIDANCE_EN = "Write down your answer; you can read it again in supervision."
PROCESS_MODULE_EN = "Step {number}: {title}"

PROCESS_QUIZ_EN = quiz(
    "The seven steps",
    [
        question(
            "What is the first step of the intervention?",
            [
                answer(
                    "Inspiring trust",
                    True,
                    "Yes: without trust in the practitioner, nothing else is possible.",
                ),
                answer(
                    "Solving complex problems",
                    False,
                    "That is the last step: it rests on all the others.",
                ),
                answer(
                    "Letting information circulate",
                    False,
                    "That is the fifth step; it needs a contract and trust first.",
                ),
            ],
        ),
        question(
            "Why form mixed small groups?",
            [
                answer(
                    "So that people who rarely meet can discover each other differently.",
                    True,
                    "Yes: meeting lowers prejudice.",
                ),
                answer(
                    "To lower mutual fears.",
                    True,
                    "Yes: that is the very purpose of this step.",
                ),
                answer(
                    "To keep people in conflict apart.",
                    False,
                    "No: the point is precisely to bring together people who fear each other.",
                ),
            ],
            kind="multiple",
        ),
        question(
            "Where do the solutions come from at the last step?",
            [
                answer(
                    "From the group, thanks to the work done together.",
                    True,
                    "Yes: the group can carry what it has built.",
                ),
                answer(
                    "From the practitioner's expertise.",
                    False,
                    "The practitioner accompanies the group but does not decide in its place.",
                ),
            ],
        ),
    ],
    pass_mark=70,
    max_attempts=3,
)

PROCESS_EN = {
    "slug": "processus-d-intervention-en-sept-etapes",
    "title": "The seven-step intervention process",
    "summary": (
        "The heart of the practitioner's work: the seven steps that take a group from mistrust "
        "to solutions built together, each one studied in its own module."
    ),
    "objectives": (
        "<ul><li>Follow the seven steps and understand why their order matters.</li>"
        "<li>Prepare a first session.</li><li>Recognise which step a group has reached."
        "</li></ul>"
    ),
    "audience": "People who have taken the introduction and are aiming for TST® certification.",
    "prerequisites_text": "Professional experience with the public or with groups.",
    "teaching_methods": (
        "One module per step of the process: input, the study of a field case where you look "
        "for what the practitioner would do, then a written exercise."
    ),
    "assessment_methods": (
        "A marked quiz at the end (three attempts) and written reflections read again in "
        "supervision; a certificate is issued at the end."
    ),
    "access_delay": "Access once the payment is confirmed; group sessions on registration.",
}

# --- 3. Spaces of constructive conflict (free) ---------------------------------------------------

CONFLICT = {
    "slug": "animer-des-espaces-de-conflits-constructifs",
    "title": "Animer des espaces de conflits constructifs",
    "summary": (
        "Un atelier pratique pour préparer, animer et conclure une séance où les désaccords "
        "peuvent s'exprimer sans violence et nourrir la coopération."
    ),
    "objectives": (
        "<ul><li>Poser un cadre qui rend la parole possible.</li><li>Accueillir une montée de "
        "tension sans l'étouffer.</li><li>Transformer ce qui a été dit en pistes "
        "communes.</li></ul>"
    ),
    "audience": "Intervenant·es en formation, animateur·rices de groupe, cadres d'équipe.",
    "prerequisites_text": "Avoir déjà animé ou encadré un groupe.",
    "teaching_methods": (
        "Atelier pratique : préparation d'une séance, jeux de rôle en petits groupes "
        "mélangés, retour sur ce que chacun·e a vécu."
    ),
    "assessment_methods": (
        "Mise en situation observée par le formateur ou la formatrice, puis auto-évaluation "
        "écrite des acquis."
    ),
    "access_delay": "Inscription possible jusqu'à huit jours avant la session.",
    "duration_hours": "6",
    "price_cents": 0,
    "steps": ["conflits", "intelligence"],
    "counts_towards_certification": False,
    "modules": ["Préparer le cadre", "Pendant la séance", "Après la séance"],
    "lessons": [
        (
            0,
            "poser-le-cadre",
            "Poser le cadre",
            "mark_done",
            True,
            [
                p(
                    "Un espace de conflit ne s'improvise pas. Avant la séance, l'animateur·rice "
                    "clarifie ce qui est en jeu, qui doit être présent, et ce que le groupe "
                    "peut raisonnablement atteindre en une fois.",
                    "Au début de la séance, le cadre est énoncé et discuté : on parle en son "
                    "nom, on ne juge pas les personnes, ce qui se dit reste dans la pièce.",
                ),
                callout(
                    "Conseil",
                    "Écrivez les règles avec le groupe plutôt que de les lui imposer : elles "
                    "seront plus faciles à rappeler.",
                    "tip",
                ),
            ],
        ),
        (
            1,
            "accueillir-la-tension",
            "Accueillir la tension",
            "mark_done",
            False,
            [
                p(
                    "Quand le ton monte, la tentation est forte de calmer le jeu au plus vite. "
                    "Or la tension signale souvent qu'on touche enfin à quelque chose "
                    "d'important. Le rôle de l'animateur·rice est de la rendre supportable, "
                    "pas de la faire disparaître."
                ),
                exercise(
                    "Le conseil de quartier",
                    "Pendant un conseil de quartier, des jeunes reprochent aux habitant·es "
                    "âgé·es d'appeler la police pour rien ; une habitante répond qu'elle n'ose "
                    "plus sortir le soir.",
                    "Proposez trois relances qui permettent à chacun de dire ce qu'il vit "
                    "sans que l'échange ne tourne à l'affrontement.",
                    "Par exemple : reformuler la peur de l'habitante et la colère des jeunes "
                    "comme deux réalités, demander à chacun un exemple précis, inviter le "
                    "groupe à chercher ce qu'il ne sait pas encore de l'autre.",
                ),
            ],
        ),
        (
            1,
            "ce-que-le-conflit-apprend",
            "Ce que le conflit apprend au groupe",
            "pass_quiz",
            False,
            [
                p(
                    "Un désaccord traversé laisse des traces utiles : des informations "
                    "nouvelles sur la situation, une meilleure connaissance des contraintes "
                    "de chacun, et souvent l'esquisse de décisions communes."
                ),
                quiz(
                    "Animer un conflit",
                    [
                        question(
                            "Le ton monte entre deux participants. Que faites-vous d'abord ?",
                            [
                                answer(
                                    "Je rappelle le cadre et j'aide chacun à dire ce qu'il vit.",
                                    True,
                                    "Oui : le cadre rend la tension supportable et la parole "
                                    "utile.",
                                ),
                                answer(
                                    "Je suspends la séance pour éviter le conflit.",
                                    False,
                                    "Couper court prive le groupe de ce que le conflit "
                                    "allait révéler.",
                                ),
                                answer(
                                    "Je donne raison à celui qui a les meilleurs arguments.",
                                    False,
                                    "L'animateur·rice ne tranche pas : il ou elle est au "
                                    "service de toutes les parties.",
                                ),
                            ],
                        ),
                        question(
                            "Qu'est-ce qu'un conflit traversé apporte au groupe ?",
                            [
                                answer(
                                    "Des informations nouvelles sur la situation.",
                                    True,
                                    "Oui : chacun découvre une part de la réalité qu'il ignorait.",
                                ),
                                answer(
                                    "Une meilleure connaissance des contraintes de chacun.",
                                    True,
                                    "Oui : c'est ce qui rend les responsabilités partagées.",
                                ),
                                answer(
                                    "La certitude qu'il n'y aura plus de désaccord.",
                                    False,
                                    "Non : les conflits reviendront, mais le groupe saura "
                                    "mieux les traverser.",
                                ),
                            ],
                            kind="multiple",
                        ),
                    ],
                    pass_mark=100,
                ),
            ],
        ),
        (
            2,
            "conclure-et-decider",
            "Conclure et décider ensemble",
            "mark_done",
            False,
            [
                p(
                    "Une séance se termine par un retour sur ce qui a été compris et par des "
                    "engagements modestes, datés et partagés. Ce qui n'a pas été réglé est "
                    "nommé, pour être repris la fois suivante."
                ),
                reflection(
                    "Quel engagement concret pourriez-vous proposer à un groupe à la fin "
                    "d'une séance difficile ?",
                ),
            ],
        ),
    ],
}


CONFLICT_EN = {
    "slug": "animer-des-espaces-de-conflits-constructifs",
    "title": "Running spaces for constructive conflict",
    "summary": (
        "A practical workshop to prepare, run and close a session where disagreements can be "
        "voiced without violence and feed cooperation."
    ),
    "objectives": (
        "<ul><li>Set a frame that makes speaking possible.</li><li>Welcome rising tension "
        "without smothering it.</li><li>Turn what was said into shared ways forward.</li></ul>"
    ),
    "audience": "Practitioners in training, group facilitators, team managers.",
    "prerequisites_text": "Having already led or managed a group.",
    "teaching_methods": (
        "Practical workshop: preparing a session, role plays in mixed small groups, looking "
        "back at what each person went through."
    ),
    "assessment_methods": (
        "A role play observed by the trainer, then a written self-assessment of what was learnt."
    ),
    "access_delay": "Registration open until eight days before the session.",
    "modules": ["Preparing the frame", "During the session", "After the session"],
    "lessons": {
        "poser-le-cadre": (
            "Setting the frame",
            [
                p(
                    "A space for conflict is never improvised. Before the session, the "
                    "facilitator works out what is at stake, who needs to be there, and what the "
                    "group can reasonably achieve in one go.",
                    "At the start of the session, the frame is stated and discussed: people "
                    "speak for themselves, nobody judges the person, and what is said stays in "
                    "the room.",
                ),
                callout(
                    "Tip",
                    "Write the rules with the group rather than imposing them: they will be "
                    "easier to recall.",
                    "tip",
                ),
            ],
        ),
        "accueillir-la-tension": (
            "Welcoming tension",
            [
                p(
                    "When voices rise, it is tempting to calm things down as fast as possible. "
                    "Yet tension often means that something important is finally being touched. "
                    "The facilitator's role is to make it bearable, not to make it disappear."
                ),
                exercise(
                    "The neighbourhood council",
                    "At a neighbourhood council meeting, young people accuse older residents of "
                    "calling the police for nothing; a resident answers that she no longer "
                    "dares to go out in the evening.",
                    "Suggest three prompts that let each person say what they are living "
                    "through without the exchange turning into a confrontation.",
                    "For instance: rephrase the resident's fear and the young people's anger as "
                    "two realities, ask each side for a precise example, invite the group to "
                    "look for what it does not yet know about the other.",
                ),
            ],
        ),
        "ce-que-le-conflit-apprend": (
            "What conflict teaches the group",
            [
                p(
                    "A disagreement that has been worked through leaves useful traces: new "
                    "information about the situation, a better grasp of everyone's constraints, "
                    "and often the outline of shared decisions."
                ),
                quiz(
                    "Facilitating a conflict",
                    [
                        question(
                            "Voices rise between two participants. What do you do first?",
                            [
                                answer(
                                    "I restate the frame and help each of them say what they "
                                    "are living through.",
                                    True,
                                    "Yes: the frame makes tension bearable and speaking useful.",
                                ),
                                answer(
                                    "I suspend the session to avoid the conflict.",
                                    False,
                                    "Cutting it short deprives the group of what the conflict "
                                    "was about to reveal.",
                                ),
                                answer(
                                    "I side with whoever has the best arguments.",
                                    False,
                                    "The facilitator does not settle the matter: they serve "
                                    "every party.",
                                ),
                            ],
                        ),
                        question(
                            "What does a conflict that has been worked through bring the group?",
                            [
                                answer(
                                    "New information about the situation.",
                                    True,
                                    "Yes: each person discovers a part of reality they did not "
                                    "know.",
                                ),
                                answer(
                                    "A better grasp of everyone's constraints.",
                                    True,
                                    "Yes: that is what makes responsibilities shared.",
                                ),
                                answer(
                                    "The certainty that there will be no more disagreement.",
                                    False,
                                    "No: conflicts will come back, but the group will be better "
                                    "at working through them.",
                                ),
                            ],
                            kind="multiple",
                        ),
                    ],
                    pass_mark=100,
                ),
            ],
        ),
        "conclure-et-decider": (
            "Closing and deciding together",
            [
                p(
                    "A session ends by going back over what has been understood and with modest "
                    "commitments, dated and shared. What has not been settled is named, so that "
                    "it can be taken up next time."
                ),
                reflection(
                    "What concrete commitment could you suggest to a group at the end of a "
                    "difficult session?",
                ),
            ],
        ),
    },
}

CATALOGUE_FR = {
    "title": "Formations",
    "slug": "formations",
    "introduction": (
        "Des parcours en ligne pour découvrir la Thérapie Sociale et se former au métier "
        "d'intervenant·e TST®, organisés autour des sept étapes de la méthode."
    ),
}

CATALOGUE_EN = {
    "title": "Courses",
    "slug": "formations",
    "introduction": (
        "Online courses to discover Social Therapy and train as a TST® practitioner, "
        "organised around the seven steps of the method."
    ),
}
