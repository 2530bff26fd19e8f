"""Benchmark volume for courses: loaded with COPY by `seed_scale` (see benchmarks/scale/).

Courses and their lessons are written straight into Wagtail's tables under the French catalogue
(materialised paths included, so that treebeard finds nothing to repair), then the trainees'
enrolments with their audit rows, lesson progress, quiz attempts, reflections and attestations,
and a heavy but plausible load for the trainee persona the benchmark browses as.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils.text import slugify
from wagtail.models import Page

from benchmarks.scale.institut import ScaleContext, Timer, copy_rows, reserve_ids
from courses import selectors
from courses.models import (
    CompletionRule,
    CourseModule,
    CoursePage,
    Enrolment,
    EnrolmentEvent,
    EnrolmentSource,
    EnrolmentStatus,
    LessonPage,
    LessonProgress,
    QuizAttempt,
    ReflectionAnswer,
    TrainingAttestation,
)
from institut.lib.references import ALPHABET
from institut.method import Step

PERSONA_COURSES = 12
PERSONA_COMPLETED = 3

# --- French content, combined so that two hundred courses do not read alike ----------------------

# (title qualifier, place, people, what has gone wrong there)
CONTEXTS = [
    (
        "en milieu scolaire",
        "un collège de quartier prioritaire",
        "parents, enseignant·es, agents et élèves",
        "parents et enseignant·es ne se parlent plus que par des plaintes adressées à la direction",
    ),
    (
        "à l'hôpital",
        "un service d'urgences sous tension",
        "soignant·es, médecins, cadres et patient·es",
        "chaque équipe accuse l'autre des retards et les arrêts de travail se multiplient",
    ),
    (
        "dans les quartiers",
        "un quartier d'habitat social",
        "habitant·es, bailleur, associations et élu·es",
        "chaque groupe d'habitant·es attribue aux autres la dégradation du quartier",
    ),
    (
        "en entreprise",
        "une PME en pleine réorganisation",
        "salarié·es, encadrement et direction",
        "la réorganisation a été décidée sans les équipes, qui se replient sur elles-mêmes",
    ),
    (
        "dans le travail social",
        "une équipe de prévention spécialisée",
        "éducateur·rices, familles et partenaires",
        "les partenaires se renvoient la responsabilité des situations les plus lourdes",
    ),
    (
        "en protection de l'enfance",
        "une maison d'enfants à caractère social",
        "éducateur·rices, jeunes accueillis et familles",
        "les incidents se répètent et l'équipe se divise sur la conduite à tenir",
    ),
    (
        "en EHPAD",
        "un EHPAD public",
        "résident·es, familles, aides-soignant·es et direction",
        "les familles se méfient des soignant·es, qui se sentent jugé·es et épuisé·es",
    ),
    (
        "dans les collectivités",
        "une mairie de taille moyenne",
        "élu·es, agents et habitant·es",
        "un projet d'aménagement oppose les habitant·es à l'équipe municipale",
    ),
    (
        "en milieu rural",
        "une communauté de communes rurale",
        "agriculteur·rices, nouveaux habitant·es, élu·es et commerçant·es",
        "anciens et nouveaux habitant·es ne se rencontrent plus qu'aux conseils municipaux houleux",
    ),
    (
        "dans le logement social",
        "une résidence de trois cents logements",
        "locataires, gardien·nes et bailleur",
        "les incivilités exaspèrent les locataires, qui ne croient plus aux réunions du bailleur",
    ),
    (
        "dans le secteur associatif",
        "une association d'éducation populaire",
        "bénévoles, salarié·es et conseil d'administration",
        "bénévoles et salarié·es se disputent le sens du projet associatif",
    ),
    (
        "dans l'enseignement supérieur",
        "une université de taille moyenne",
        "étudiant·es, enseignant·es et personnels administratifs",
        "une réforme des examens a cristallisé la défiance entre étudiant·es et enseignant·es",
    ),
]

TOPICS = {
    Step.CONFIANCE: [
        "inspirer confiance",
        "se placer au service de toutes les parties",
        "garantir un cadre sûr et confidentiel",
    ],
    Step.CONTRAT: [
        "faire un contrat commun",
        "entendre les besoins réels d'un groupe",
        "accueillir la méfiance au démarrage",
    ],
    Step.SOUS_GROUPES: [
        "calmer les peurs en sous-groupes hétérogènes",
        "faire se rencontrer des groupes qui s'évitent",
        "faire reculer les préjugés",
    ],
    Step.CONFLITS: [
        "créer des espaces de conflits constructifs",
        "accueillir les désaccords sans les étouffer",
        "transformer la violence en conflit",
    ],
    Step.INFORMATIONS: [
        "faire circuler les informations",
        "partager ce qui éclaire les blocages",
        "décider ensemble à partir de ce que chacun sait",
    ],
    Step.INTELLIGENCE: [
        "construire l'intelligence collective",
        "animer des mises en situation",
        "comprendre les causes d'une difficulté collective",
    ],
    Step.SOLUTIONS: [
        "résoudre des problèmes complexes",
        "accompagner un groupe jusqu'à des solutions réalistes",
        "inventer des réponses avec les personnes concernées",
    ],
}

FORMATS = [
    "Initiation",
    "Approfondissement",
    "Atelier pratique",
    "Perfectionnement",
    "Parcours guidé",
    "Classe virtuelle",
    "Séminaire en ligne",
]

# What each step asks of the practitioner, paraphrased for the lessons.
STEP_TEXT = {
    Step.CONFIANCE: (
        "L'intervenant·e ne vient défendre aucun camp : il ou elle travaille pour l'ensemble du "
        "collectif, direction comprise. Avec tous les acteurs, il s'agit de fixer un objectif "
        "que le groupe peut réellement atteindre, et de garantir un espace où chacun participe "
        "sans craindre que sa parole se retourne contre lui."
    ),
    Step.CONTRAT: (
        "Avant de s'engager, les participant·es expriment souvent des doutes, des réticences, "
        "parfois une franche méfiance. Les entendre n'est pas une perte de temps : c'est ce qui "
        "permet de formuler des besoins réels et de conclure un accord explicite sur le but "
        "commun."
    ),
    Step.SOUS_GROUPES: (
        "Réunir en petits groupes des personnes qui ne travaillent jamais ensemble, ou qui se "
        "connaissent mal, fait baisser les peurs. On découvre l'autre autrement que par la "
        "rumeur, et les préjugés perdent de leur force."
    ),
    Step.CONFLITS: (
        "Un désaccord exprimé dans un cadre sûr devient une ressource. L'intervenant·e libère la "
        "parole pour que les divergences apparaissent vraiment, puis aide le groupe à les "
        "traverser plutôt qu'à les éviter ou à les laisser dégénérer."
    ),
    Step.INFORMATIONS: (
        "Les blocages tiennent souvent à ce qui ne circule pas : des faits connus d'un seul "
        "service, des craintes jamais dites. En partageant ces informations, le groupe voit que "
        "les responsabilités sont partagées et peut décider de façon concertée."
    ),
    Step.INTELLIGENCE: (
        "Par des exercices et des mises en situation, chacun peut dire la réalité telle qu'il la "
        "vit. Le groupe prend alors conscience, ensemble, des obstacles qui l'empêchent "
        "d'atteindre son objectif et de leurs causes."
    ),
    Step.SOLUTIONS: (
        "Le dernier temps consiste à accompagner le cheminement du groupe jusqu'à des réponses "
        "qui tiennent compte de la complexité : réalistes, souvent inventives, et portées par "
        "celles et ceux qui devront les mettre en œuvre."
    ),
}

OPENINGS = [
    "Dans {place}, {tension}. Personne ne manque de bonne volonté, et pourtant plus rien "
    "n'avance : c'est le signe d'une coopération bloquée.",
    "Les {people} de {place} poursuivent en principe le même but. Mais {tension}, et chacun "
    "finit par agir seul.",
    "Imaginons {place} où {tension}. Les réunions se succèdent, les positions se durcissent, "
    "et la violence, visible ou feutrée, s'installe.",
    "Quand {tension}, la tentation est grande de chercher un coupable. La Thérapie Sociale "
    "propose un autre regard sur ce qui se passe dans {place}.",
]

METHOD_NOTES = [
    "La violence n'est pas seulement un comportement à sanctionner : elle signale qu'un groupe "
    "ne parvient plus à faire circuler ce qui le traverse.",
    "Le conflit n'est pas l'ennemi de la coopération. Étouffé, il nourrit la rumeur et le "
    "repli ; traversé, il apporte au groupe des informations précieuses.",
    "L'objectif premier reste l'action commune : apaiser n'a de sens que si le groupe "
    "redevient capable de décider et d'agir ensemble.",
    "Chacun détient une part de la réalité. L'intervention consiste moins à apporter une "
    "solution qu'à rendre possible la mise en commun de ces points de vue.",
    "Le cadre compte autant que le contenu : confidentialité, participation de toutes les "
    "parties et objectif atteignable sont posés dès le départ.",
]

CALLOUTS = [
    ("info", "À retenir", "Ce qui ne peut pas se dire finit par s'exprimer autrement."),
    (
        "tip",
        "Conseil",
        "Notez les mots exacts employés par les participant·es : ils en disent "
        "souvent plus long que les analyses.",
    ),
    (
        "warning",
        "Attention",
        "Ne cherchez pas à obtenir un consensus trop tôt : un accord de "
        "façade laisse les désaccords intacts.",
    ),
    (
        "info",
        "À retenir",
        "L'intervenant·e est au service de tout le collectif, pas d'une partie contre une autre.",
    ),
    (
        "tip",
        "Conseil",
        "Prévoyez toujours un temps pour que chacun dise ce qu'il retire de la séance.",
    ),
]

QUOTES = [
    "Tant qu'on ne s'était pas dit les choses, on se battait contre des fantômes.",
    "J'ai découvert que l'équipe de nuit vivait la même situation que nous, vue de l'autre côté.",
    "Le désaccord est resté, mais on a enfin pu décider ensemble.",
    "Ce n'est pas l'absence de conflit qui nous a fait avancer, c'est la façon de le traverser.",
]

SITUATIONS = [
    "Lors d'une réunion dans {place}, une personne prend violemment à partie la responsable. "
    "Les autres se taisent ; deux participant·es quittent la salle.",
    "Dans {place}, un groupe refuse de participer à la rencontre prévue : « On a déjà donné, "
    "ça ne sert à rien. »",
    "Au troisième atelier réunissant les {people}, la discussion tourne en rond : chacun "
    "répète sa position sans écouter celle des autres.",
    "Une rumeur circule dans {place} : un service serait « protégé » par la direction. "
    "Personne ne sait d'où elle vient, mais tout le monde y croit.",
]

INSTRUCTIONS = [
    "Décrivez ce que cette scène peut exprimer au-delà de ce qui est visible. Quelles "
    "informations ne circulent pas ?",
    "Que diriez-vous, en tant qu'intervenant·e, dans les cinq premières minutes ? Écrivez vos "
    "phrases telles que vous les prononceriez.",
    "Proposez une façon de répartir les personnes présentes en sous-groupes, et expliquez vos "
    "choix.",
]

DEBRIEFS = [
    "La colère peut porter une peur réelle et un sentiment de ne pas être entendu. Elle dit "
    "quelque chose de la situation, pas seulement de la personne.",
    "Un refus de participer est aussi une information : il renseigne sur la confiance, ou son "
    "absence, dans les démarches précédentes.",
    "Mêler des personnes qui se côtoient peu permet de découvrir l'autre hors des rôles habituels.",
]

REFLECTION_PROMPTS = [
    "Pensez à un groupe que vous connaissez où la coopération est bloquée. Qu'est-ce qui ne s'y "
    "dit pas ?",
    "Décrivez un conflit que vous avez vu se transformer en accord. Qu'est-ce qui l'a permis ?",
    "Quelle peur, chez vous, pourrait vous empêcher de laisser un désaccord s'exprimer ?",
    "Dans votre pratique, qui n'est jamais invité autour de la table ? Que changerait sa "
    "présence ?",
]

REFLECTION_ANSWERS = [
    "Dans mon service, personne n'ose dire que les nouvelles procédures nous font perdre du "
    "temps auprès des usagers.",
    "Lors d'une réunion de quartier, les jeunes ont pu expliquer pourquoi ils occupaient le hall ; "
    "les locataires ont proposé un autre lieu.",
    "J'ai peur que la discussion m'échappe et que quelqu'un soit blessé devant tout le monde.",
    "Les agents d'entretien ne sont jamais invités, alors qu'ils voient tout ce qui se passe.",
    "Je remarque que je cherche vite un responsable au lieu d'écouter ce que chacun vit.",
]

# (question, kind, [(answer, correct, explanation)])
QUESTIONS = [
    (
        "Que signale la violence dans un groupe, selon la Thérapie Sociale ?",
        "single",
        [
            (
                "Que des choses ne peuvent plus se dire ni circuler.",
                True,
                "Oui : la violence est aussi un symptôme d'un système bloqué.",
            ),
            (
                "Que certaines personnes sont simplement malveillantes.",
                False,
                "Non : on ne s'arrête pas aux individus.",
            ),
            (
                "Qu'il faut interrompre toute discussion.",
                False,
                "Non : il faut au contraire offrir un cadre où parler.",
            ),
        ],
    ),
    (
        "Au service de qui l'intervenant·e travaille-t-il ?",
        "single",
        [
            (
                "De la direction qui le mandate.",
                False,
                "Non : il ne prend pas parti, même pour qui le paie.",
            ),
            ("De l'ensemble du collectif.", True, "Oui : toutes les parties sont concernées."),
            ("Des personnes qui se plaignent le plus.", False, "Non : il n'y a pas de camp."),
        ],
    ),
    (
        "Quels éléments font partie du cadre posé au départ ?",
        "multiple",
        [
            ("La confidentialité.", True, "Oui : elle permet une parole libre."),
            ("La participation de toutes les parties.", True, "Oui : personne n'est écarté."),
            (
                "Un objectif fixé à l'avance par l'intervenant·e seul.",
                False,
                "Non : l'objectif se construit avec le groupe.",
            ),
        ],
    ),
    (
        "Pourquoi former des sous-groupes hétérogènes ?",
        "single",
        [
            (
                "Pour faire baisser les peurs et les préjugés.",
                True,
                "Oui : on rencontre l'autre autrement.",
            ),
            (
                "Pour séparer les personnes en conflit.",
                False,
                "Non : on mêle justement ceux qui se côtoient peu.",
            ),
            ("Pour gagner du temps.", False, "Non : l'enjeu est la rencontre."),
        ],
    ),
    (
        "Que permet un conflit traversé dans un cadre sûr ?",
        "multiple",
        [
            (
                "Faire apparaître des informations utiles.",
                True,
                "Oui : chaque point de vue éclaire la situation.",
            ),
            ("Préparer des décisions prises ensemble.", True, "Oui : c'est le but visé."),
            (
                "Éviter définitivement tout désaccord.",
                False,
                "Non : les désaccords font partie de la vie du groupe.",
            ),
        ],
    ),
    (
        "Que faire des doutes exprimés au début d'une intervention ?",
        "single",
        [
            (
                "Les écouter : ils éclairent les besoins réels.",
                True,
                "Oui : ils préparent le contrat commun.",
            ),
            (
                "Les ignorer pour ne pas perdre de temps.",
                False,
                "Non : ils reviendraient plus tard, plus forts.",
            ),
        ],
    ),
]

MODULE_TITLES = [
    "Comprendre la situation",
    "Repères de la méthode",
    "Observer et écouter",
    "Tenir le cadre",
    "S'exercer en situation",
    "Préparer son intervention",
    "Faire le point",
]

LESSON_TITLES = {
    Step.CONFIANCE: [
        "Se présenter au groupe",
        "Être au service de tous",
        "Fixer un objectif atteignable",
        "Garantir la confidentialité",
    ],
    Step.CONTRAT: [
        "Écouter les réticences",
        "Formuler les besoins réels",
        "Conclure un accord explicite",
        "Quand la méfiance persiste",
    ],
    Step.SOUS_GROUPES: [
        "Composer des groupes mêlés",
        "Rencontrer ceux qu'on évite",
        "Ce que les préjugés protègent",
        "Animer un petit groupe",
    ],
    Step.CONFLITS: [
        "Distinguer violence et conflit",
        "Laisser émerger les désaccords",
        "Traverser une tension",
        "Ce que le conflit apprend",
    ],
    Step.INFORMATIONS: [
        "Repérer ce qui ne circule pas",
        "Partager les faits",
        "Des responsabilités partagées",
        "Décider ensemble",
    ],
    Step.INTELLIGENCE: [
        "Dire sa réalité",
        "Mettre en scène une difficulté",
        "Comprendre les causes",
        "Tirer les leçons d'un exercice",
    ],
    Step.SOLUTIONS: [
        "Chercher des pistes réalistes",
        "Accepter la complexité",
        "Inventer avec le groupe",
        "Suivre les engagements pris",
    ],
}

GENERIC_LESSON_TITLES = [
    "Premiers repères",
    "Une situation ordinaire",
    "Ce que disent les participant·es",
    "Le rôle de l'intervenant·e",
    "Les pièges à éviter",
    "Étude de cas",
    "Retour d'expérience",
    "Préparer la séance",
    "Après la séance",
    "Synthèse du module",
    "Pour aller plus loin",
    "Questions fréquentes",
    "Le point de vue des équipes",
    "La parole des habitant·es",
    "Écrire son journal de pratique",
    "Bilan et perspectives",
]

PRICES = [4900, 9000, 12000, 15000, 18000, 24000, 36000, 48000]


# --- Generation -----------------------------------------------------------------------------------


@dataclass
class _Lesson:
    page_id: int
    key: str
    title: str
    rule: str
    required: bool
    is_preview: bool
    quiz: tuple | None = None  # (pass mark, right answers JSON, wrong answers JSON, wrong score)


@dataclass
class _Course:
    page_id: int
    key: str
    title: str
    price_cents: int
    hours: Decimal
    lessons: list[_Lesson] = field(default_factory=list)

    @property
    def last_required(self) -> int:
        """Position of the last required lesson: an unfinished course stops before it."""
        return max(i for i, lesson in enumerate(self.lessons) if lesson.required)


def _uuid(ctx: ScaleContext) -> str:
    return str(uuid.UUID(int=ctx.rng.getrandbits(128), version=4))


def _block(ctx: ScaleContext, kind: str, value) -> dict:
    return {"type": kind, "value": value, "id": _uuid(ctx)}


def _items(ctx: ScaleContext, values: list) -> list[dict]:
    return [{"type": "item", "value": value, "id": _uuid(ctx)} for value in values]


def _quiz(ctx: ScaleContext) -> tuple[dict, tuple]:
    """A quiz block and what the attempts need: pass mark, right and wrong answers, wrong score."""
    rng = ctx.rng
    chosen = rng.sample(QUESTIONS, rng.randint(2, 3))
    pass_mark = rng.choice([50, 60, 70, 80])
    questions, right, wrong = [], {}, {}
    for index, (text, kind, answers) in enumerate(chosen):
        questions.append(
            {
                "text": text,
                "kind": kind,
                "answers": _items(
                    ctx,
                    [{"text": a, "correct": ok, "explanation": why} for a, ok, why in answers],
                ),
            }
        )
        correct = [i for i, (_a, ok, _why) in enumerate(answers) if ok]
        right[str(index)] = correct
        wrong[str(index)] = (
            correct if index else [next(i for i, a in enumerate(answers) if not a[1])]
        )
    wrong_score = round(100 * (len(chosen) - 1) / len(chosen))
    if wrong_score >= pass_mark:  # a failed attempt must fail: get every question wrong
        wrong = {k: [0] if v != [0] else [1] for k, v in right.items()}
        wrong_score = 0
    value = {
        "title": "Vérifier sa compréhension",
        "pass_mark": pass_mark,
        "max_attempts": rng.choice([None, None, 3]),
        "questions": _items(ctx, questions),
    }
    return value, (pass_mark, json.dumps(right), json.dumps(wrong), wrong_score)


def _lesson_body(ctx: ScaleContext, step: str, context: tuple, rule: str) -> tuple[list, tuple]:
    """A lesson's StreamField (raw JSON, with block ids) and its quiz facts if it has one."""
    rng = ctx.rng
    label, place, people, tension = context
    words = {"place": place, "people": people, "tension": tension}
    body = [
        _block(
            ctx,
            "paragraph",
            f"<p>{rng.choice(OPENINGS).format(**words)}</p><p>{STEP_TEXT[step]}</p>",
        )
    ]
    if rng.random() < 0.5:
        body.append(_block(ctx, "heading", {"text": "Ce que dit la méthode", "level": "h2"}))
    body.append(_block(ctx, "paragraph", f"<p>{rng.choice(METHOD_NOTES)}</p>"))
    if rng.random() < 0.6:
        body.append(
            _block(
                ctx,
                "exercise",
                {
                    "title": f"Mise en situation {label}",
                    "situation": f"<p>{rng.choice(SITUATIONS).format(**words)}</p>",
                    "instructions": f"<p>{rng.choice(INSTRUCTIONS)}</p>",
                    "debrief": f"<p>{rng.choice(DEBRIEFS)}</p>",
                },
            )
        )
    if rng.random() < 0.3:
        kind, title, text = rng.choice(CALLOUTS)
        body.append(
            _block(ctx, "callout", {"kind": kind, "title": title, "body": f"<p>{text}</p>"})
        )
    elif rng.random() < 0.2:
        body.append(
            _block(ctx, "quote", {"text": rng.choice(QUOTES), "attribution": "Une participante"})
        )
    quiz_facts = None
    if rule == CompletionRule.PASS_QUIZ:
        value, quiz_facts = _quiz(ctx)
        body.append(_block(ctx, "quiz", value))
    if rule == CompletionRule.SUBMIT_REFLECTION or rng.random() < 0.08:
        body.append(
            _block(
                ctx,
                "reflection",
                {
                    "prompt": rng.choice(REFLECTION_PROMPTS),
                    "guidance": "Quelques lignes suffisent ; votre réponse reste privée.",
                },
            )
        )
    return body, quiz_facts


def _course_titles(ctx: ScaleContext, count: int) -> list[tuple[str, str, tuple, str]]:
    """(step, topic, context, format) combinations, all different while there are enough."""
    combos = [
        (step, topic, context, fmt)
        for step, topics in TOPICS.items()
        for topic in topics
        for context in CONTEXTS
        for fmt in FORMATS
    ]
    ctx.rng.shuffle(combos)
    return [combos[i % len(combos)] for i in range(count)]


def _unique(slug: str, taken: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _lesson_titles(ctx: ScaleContext, step: str, count: int) -> list[str]:
    pool = list(LESSON_TITLES[step])
    others = [t for s, titles in LESSON_TITLES.items() if s != step for t in titles]
    pool += ctx.rng.sample(GENERIC_LESSON_TITLES, len(GENERIC_LESSON_TITLES))
    pool += ctx.rng.sample(others, len(others))
    titles = [pool[i % len(pool)] for i in range(count)]
    return [
        title if i < len(pool) else f"{title} (suite {i // len(pool) + 1})"
        for i, title in enumerate(titles)
    ]


def seed_pages(ctx: ScaleContext) -> list[_Course]:
    """The courses, their modules and lessons, live under the French catalogue (COPY)."""
    rng, sizes = ctx.rng, ctx.sizes
    index = selectors.catalogue_page(language="fr")
    if index is None:
        raise RuntimeError("No French catalogue: seed_demo must run before the courses' scale.")
    n_courses, per_course = sizes.courses, sizes.lessons_per_course
    if n_courses == 0:
        return []
    if per_course < 1:
        raise ValueError("A course needs at least one lesson (--lessons-per-course).")
    children = Page.objects.filter(path__startswith=index.path, depth=index.depth + 1)
    last_path = children.order_by("-path").values_list("path", flat=True).first()
    first_step = Page._str2int(last_path[-Page.steplen :]) + 1 if last_path else 1
    taken = set(children.values_list("slug", flat=True))
    ids = iter(reserve_ids(Page, n_courses * (1 + per_course)))
    course_type = ContentType.objects.get_for_model(CoursePage).pk
    lesson_type = ContentType.objects.get_for_model(LessonPage).pk

    pages, course_rows, module_rows, lesson_rows, courses = [], [], [], [], []
    for number, (step, topic, context, fmt) in enumerate(_course_titles(ctx, n_courses)):
        title = f"{fmt} : {topic} {context[0]}"
        slug = _unique(slugify(title), taken)
        path = Page._get_path(index.path, index.depth + 1, first_step + number)
        url_path = f"{index.url_path}{slug}/"
        published = ctx.now - timedelta(days=rng.randint(60, 900), minutes=rng.randint(0, 1440))
        free = rng.random() < 0.35
        price = 0 if free else rng.choice(PRICES)
        hours = Decimal(max(1, per_course * rng.choice([15, 20, 30, 45]) // 60)) + (
            Decimal("0.5") if rng.random() < 0.3 else 0
        )
        course = _Course(next(ids), _uuid(ctx), title, price, hours)
        pages.append(
            _page_row(
                course.page_id,
                path,
                per_course,
                title,
                slug,
                url_path,
                course.key,
                course_type,
                index.locale_id,
                published,
            )
        )
        steps = [step, *rng.sample([s for s in Step.values if s != step], rng.randint(0, 2))]
        course_rows.append(
            (
                course.page_id,
                _summary(rng, fmt, topic, context, step),
                "<ul>"
                + "".join(f"<li>{t.capitalize()} {context[0]}.</li>" for t in TOPICS[step])
                + "</ul>",
                f"Professionnel·les et bénévoles qui travaillent avec des {context[2]}.",
                course.hours,
                price,
                json.dumps(sorted(steps, key=Step.values.index)),
                rng.random() < 0.2,
                rng.choice(PREREQUISITES),
                f"Apports, étude de cas ({context[1]}) et mises en situation.",
                "Quiz de fin de parcours et réflexions écrites relues en supervision.",
                rng.choice(ACCESS_DELAYS),
            )
        )
        module_count = max(1, min(per_course, rng.randint(3, 5)))
        module_keys = [_uuid(ctx) for _ in range(module_count)]
        for order, (key, module_title) in enumerate(
            zip(module_keys, _module_titles(rng, module_count), strict=True)
        ):
            module_rows.append((course.page_id, order, key, module_title, "", index.locale_id, key))
        lesson_slugs: set[str] = set()
        for position, lesson_title in enumerate(_lesson_titles(ctx, step, per_course)):
            rule = rng.choices(
                [
                    CompletionRule.MARK_DONE,
                    CompletionRule.PASS_QUIZ,
                    CompletionRule.SUBMIT_REFLECTION,
                ],
                weights=[70, 15, 15],
            )[0].value
            lesson = _Lesson(
                page_id=next(ids),
                key=_uuid(ctx),
                title=lesson_title,
                rule=rule,
                required=not (position == per_course - 1 and position and rng.random() < 0.3),
                is_preview=(position == 0 and rng.random() < 0.6) or rng.random() < 0.06,
            )
            course.lessons.append(lesson)
        if all(lesson.is_preview for lesson in course.lessons):
            course.lessons[-1].is_preview = False
        for position, lesson in enumerate(course.lessons):
            lesson_slug = _unique(slugify(lesson.title), lesson_slugs)
            body, lesson.quiz = _lesson_body(ctx, step, context, lesson.rule)
            pages.append(
                _page_row(
                    lesson.page_id,
                    Page._get_path(path, index.depth + 2, position + 1),
                    0,
                    lesson.title,
                    lesson_slug,
                    f"{url_path}{lesson_slug}/",
                    lesson.key,
                    lesson_type,
                    index.locale_id,
                    published + timedelta(minutes=position + 1),
                )
            )
            lesson_rows.append(
                (
                    lesson.page_id,
                    "",
                    module_keys[position * module_count // per_course],
                    lesson.is_preview,
                    lesson.required,
                    lesson.rule,
                    rng.choice([10, 15, 20, 25, 30, 45]),
                    json.dumps(body, ensure_ascii=False),
                )
            )
        courses.append(course)

    copy_rows(Page, PAGE_FIELDS, pages)
    copy_rows(
        CoursePage,
        [
            "page_ptr_id",
            "summary",
            "objectives",
            "audience",
            "duration_hours",
            "price_cents",
            "steps",
            "counts_towards_certification",
            "prerequisites_text",
            "teaching_methods",
            "assessment_methods",
            "access_delay",
        ],
        course_rows,
    )
    copy_rows(
        CourseModule,
        ["page_id", "sort_order", "key", "title", "description", "locale_id", "translation_key"],
        module_rows,
    )
    copy_rows(
        LessonPage,
        [
            "page_ptr_id",
            "introduction",
            "module_key",
            "is_preview",
            "required",
            "completion_rule",
            "duration_minutes",
            "body",
        ],
        lesson_rows,
    )
    Page.objects.filter(pk=index.pk).update(numchild=children.count())
    ctx.log(f"    {len(courses)} courses, {len(lesson_rows)} lessons, {len(module_rows)} modules")
    return courses


# The Qualiopi information of a course (courses/0010), in a few plausible wordings.
PREREQUISITES = ["Aucun.", "Expérience professionnelle auprès de publics ou de groupes.", ""]
ACCESS_DELAYS = [
    "Accès dès le paiement confirmé.",
    "Inscription possible jusqu'à huit jours avant la session.",
]

PAGE_FIELDS = [
    "id",
    "path",
    "depth",
    "numchild",
    "title",
    "draft_title",
    "slug",
    "url_path",
    "translation_key",
    "locale_id",
    "content_type_id",
    "live",
    "has_unpublished_changes",
    "seo_title",
    "show_in_menus",
    "search_description",
    "expired",
    "locked",
    "first_published_at",
    "last_published_at",
]


def _page_row(
    page_id, path, numchild, title, slug, url_path, key, content_type, locale, published
) -> tuple:
    """A wagtailcore_page row: every NOT NULL column set, since COPY applies no Django default."""
    return (
        page_id,
        path,
        len(path) // Page.steplen,
        numchild,
        title,
        title,
        slug,
        url_path,
        key,
        locale,
        content_type,
        True,
        False,
        "",
        False,
        "",
        False,
        False,
        published,
        published,
    )


def _module_titles(rng, count: int) -> list[str]:
    middle = (
        rng.sample(MODULE_TITLES[1:-1], min(count, len(MODULE_TITLES)) - 2) if count > 2 else []
    )
    titles = [MODULE_TITLES[0], *middle, MODULE_TITLES[-1]][:count]
    titles += [f"Approfondissement {n}" for n in range(1, count - len(titles) + 1)]
    return [f"Module {n} — {title}" for n, title in enumerate(titles, start=1)]


def _summary(rng, fmt: str, topic: str, context: tuple, step: str) -> str:
    label, place, people, _tension = context
    first = rng.choice(
        [
            f"{fmt} pour {topic} {label}, à partir de situations vécues par des {people}.",
            f"Comment {topic} quand la coopération se bloque {label} ? {fmt} en ligne, "
            "illustré par des cas concrets.",
            f"{fmt} consacré à l'étape « {Step(step).label} » de la méthode, appliquée à {place}.",
        ]
    )
    second = rng.choice(
        [
            "Des mises en situation et des questions de réflexion pour relier la méthode à "
            "votre pratique.",
            "Chaque module alterne apports, études de cas et exercices à faire chez soi.",
            "Pour celles et ceux qui veulent aider un groupe à sortir de la violence et à "
            "retrouver un projet commun.",
        ]
    )
    return f"{first} {second}"


# --- Enrolments and progress ---------------------------------------------------------------------


@dataclass
class _Enrolment:
    user_id: int
    course: _Course
    status: str
    source: str
    created: datetime
    done: int = 0  # lessons done, a prefix of the course's lessons
    persona: bool = False


_PAID_ONLY = (EnrolmentStatus.ENDED, EnrolmentStatus.PENDING, EnrolmentStatus.ABANDONED)


def _status(rng, course: _Course) -> str:
    r = rng.random()
    status = (
        EnrolmentStatus.COMPLETED
        if r < 0.22
        else EnrolmentStatus.ACTIVE
        if r < 0.92
        else EnrolmentStatus.ENDED
        if r < 0.95
        else EnrolmentStatus.PENDING
        if r < 0.98
        else EnrolmentStatus.ABANDONED
    )
    if status in _PAID_ONLY and course.price_cents == 0:
        return EnrolmentStatus.ACTIVE
    return status


def _source(rng, course: _Course) -> str:
    if course.price_cents == 0:
        return EnrolmentSource.FREE
    return rng.choices(
        [EnrolmentSource.PAID, EnrolmentSource.FUNDED, EnrolmentSource.STAFF], weights=[70, 27, 3]
    )[0]


def _draw_enrolments(ctx: ScaleContext, courses: list[_Course]) -> list[_Enrolment]:
    """The persona's twelve courses, then a handful per trainee, sized to the progress wanted."""
    rng, sizes = ctx.rng, ctx.sizes
    enrolments = []
    persona = ctx.personas.get("trainee")
    if persona is not None:
        chosen = rng.sample(courses, min(PERSONA_COURSES, len(courses)))
        for n, course in enumerate(chosen):
            completed = n < PERSONA_COMPLETED and len(chosen) > PERSONA_COMPLETED
            enrolments.append(
                _Enrolment(
                    persona,
                    course,
                    EnrolmentStatus.COMPLETED if completed else EnrolmentStatus.ACTIVE,
                    EnrolmentSource.FREE if course.price_cents == 0 else EnrolmentSource.FUNDED,
                    ctx.now - timedelta(days=rng.randint(20, 400)),
                    persona=True,
                )
            )
    # About 1.6 times the enrolments the progress needs, so that courses are 60 % done on average.
    wanted = sizes.progress / max(1, len(ctx.trainee_ids)) / sizes.lessons_per_course
    mean = max(1, min(len(courses), round(1.6 * wanted)))
    for user_id in ctx.trainee_ids:
        count = min(len(courses), rng.randint(max(1, mean // 2), mean + mean // 2))
        for course in rng.sample(courses, count):
            enrolments.append(
                _Enrolment(
                    user_id,
                    course,
                    _status(rng, course),
                    _source(rng, course),
                    ctx.now - timedelta(days=rng.randint(5, 720), seconds=rng.randint(0, 86399)),
                )
            )
    return enrolments


def _room(enrolment: _Enrolment) -> int:
    """How many lessons this enrolment may still have done without completing the course."""
    if enrolment.status in (EnrolmentStatus.ACTIVE, EnrolmentStatus.ENDED):
        return enrolment.course.last_required - enrolment.done
    return 0


def _plan_progress(ctx: ScaleContext, enrolments: list[_Enrolment]) -> int:
    """Set how many lessons each enrolment has done so that the total is the size asked."""
    rng, target = ctx.rng, ctx.sizes.progress
    completed = [e for e in enrolments if e.status == EnrolmentStatus.COMPLETED]
    mandatory = sum(len(e.course.lessons) for e in completed)
    # Too few records asked for the completions drawn: those become courses in progress.
    rng.shuffle(completed)
    completed.sort(key=lambda e: e.persona)
    while mandatory > target and completed:
        enrolment = completed.pop(0)
        enrolment.status = EnrolmentStatus.ACTIVE
        mandatory -= len(enrolment.course.lessons)
    for enrolment in completed:
        enrolment.done = len(enrolment.course.lessons)
    left = target - mandatory
    # The persona: courses at various points, from just started to nearly finished.
    mine = [e for e in enrolments if e.persona and e.status == EnrolmentStatus.ACTIVE]
    for n, enrolment in enumerate(mine):
        share = (n + 1) / (len(mine) + 1)
        enrolment.done = min(left, round(share * enrolment.course.last_required))
        left -= enrolment.done
    others = [e for e in enrolments if not e.persona and _room(e) > 0]
    capacity = sum(_room(e) for e in others)
    if left > capacity:
        ctx.log(
            f"    progress capped at {target - left + capacity:,} records (asked {target:,}): "
            "the enrolments leave no room for more"
        )
        left = capacity
    # Random shares scaled to the total, then the rounding left over, one lesson at a time.
    weights = [rng.random() * _room(e) for e in others]
    scale = left / sum(weights) if weights and sum(weights) else 0
    for enrolment, weight in zip(others, weights, strict=True):
        enrolment.done = min(_room(enrolment), int(weight * scale))
        left -= enrolment.done
    while left > 0:
        open_ = [e for e in others if _room(e) > 0]
        rng.shuffle(open_)
        for enrolment in open_[:left]:
            enrolment.done += 1
        left -= min(left, len(open_))
    return sum(e.done for e in enrolments)


def _learning_rows(ctx: ScaleContext, enrolments: list[_Enrolment], ids: range) -> list[tuple]:
    """The rows of every learning table, as (model, fields, rows), in loading order."""
    rng, now = ctx.rng, ctx.now
    enrolment_rows, event_rows, progress_rows, attempt_rows, reflection_rows = [], [], [], [], []
    attestation_rows = []
    numbers = set(TrainingAttestation.objects.values_list("number", flat=True))
    for enrolment_id, e in zip(ids, enrolments, strict=True):
        course = e.course
        # Lessons done at a steady pace since enrolment (never in the future).
        span = min(now - e.created, timedelta(days=rng.randint(7, 180)))
        pace = span / (len(course.lessons) + 1)
        at = e.created
        for lesson in course.lessons[: e.done]:
            at = at + pace * (0.5 + rng.random())
            at = min(at, now)
            progress_rows.append((e.user_id, lesson.key, course.key, at, lesson.rule))
            if lesson.rule == CompletionRule.PASS_QUIZ:
                pass_mark, right, wrong, wrong_score = lesson.quiz
                number = 1
                if rng.random() < 0.25:
                    attempt_rows.append(
                        (
                            e.user_id,
                            lesson.key,
                            course.key,
                            lesson.title,
                            1,
                            wrong,
                            wrong_score,
                            pass_mark,
                            False,
                            at - timedelta(minutes=rng.randint(5, 600)),
                        )
                    )
                    number = 2
                attempt_rows.append(
                    (
                        e.user_id,
                        lesson.key,
                        course.key,
                        lesson.title,
                        number,
                        right,
                        100,
                        pass_mark,
                        True,
                        at,
                    )
                )
            elif lesson.rule == CompletionRule.SUBMIT_REFLECTION:
                reflection_rows.append(
                    (e.user_id, lesson.key, course.key, rng.choice(REFLECTION_ANSWERS), at, at, at)
                )
        completed_at = None
        if e.status == EnrolmentStatus.COMPLETED:
            completed_at = min(now, at + timedelta(seconds=1))
        last_lesson = None
        if e.status not in (EnrolmentStatus.PENDING, EnrolmentStatus.ABANDONED) and e.done:
            last_lesson = course.lessons[min(e.done, len(course.lessons) - 1)].key
        enrolment_rows.append(
            (
                enrolment_id,
                e.user_id,
                course.key,
                course.title,
                e.status,
                e.source,
                last_lesson,
                e.created,
                completed_at,
            )
        )
        event_rows.extend(_events(enrolment_id, e, completed_at or e.created + span))
        if completed_at is not None:
            number = _attestation_number(rng, completed_at.year, numbers)
            attestation_rows.append(
                (
                    number,
                    enrolment_id,
                    e.user_id,
                    ctx.names.get(e.user_id, ""),
                    course.key,
                    course.title,
                    course.hours,
                    completed_at,
                    completed_at + timedelta(minutes=1),
                    "",
                    completed_at + timedelta(minutes=2),
                )
            )
    tables = [
        (
            Enrolment,
            [
                "id",
                "user_id",
                "course_key",
                "course_title",
                "status",
                "source",
                "last_lesson_key",
                "created",
                "completed_at",
            ],
            enrolment_rows,
        ),
        (
            EnrolmentEvent,
            ["enrolment_id", "actor_id", "from_status", "to_status", "reason", "at"],
            event_rows,
        ),
        (
            LessonProgress,
            ["user_id", "lesson_key", "course_key", "completed_at", "rule"],
            progress_rows,
        ),
        (
            QuizAttempt,
            [
                "user_id",
                "lesson_key",
                "course_key",
                "lesson_title",
                "number",
                "answers",
                "score",
                "pass_mark",
                "passed",
                "created",
            ],
            attempt_rows,
        ),
        (
            ReflectionAnswer,
            ["user_id", "lesson_key", "course_key", "text", "submitted_at", "created", "updated"],
            reflection_rows,
        ),
        (
            TrainingAttestation,
            [
                "number",
                "enrolment_id",
                "user_id",
                "trainee_name",
                "course_key",
                "course_title",
                "hours",
                "completed_at",
                "issued_at",
                "pdf",
                "emailed_at",
            ],
            attestation_rows,
        ),
    ]
    return tables


def seed_learning(ctx: ScaleContext, courses: list[_Course]) -> None:
    """Enrolments with their audit rows, progress, quiz attempts, reflections, attestations."""
    if not courses:
        return
    with Timer(ctx, "    planning"):
        enrolments = _draw_enrolments(ctx, courses)
        total = _plan_progress(ctx, enrolments)
    ids = reserve_ids(Enrolment, len(enrolments))
    with Timer(ctx, "    rows built"):
        tables = _learning_rows(ctx, enrolments, ids)
    for model, fields, rows in tables:
        with Timer(ctx, f"    {model._meta.db_table}"):
            copy_rows(model, fields, rows)
    _set_bench_pages(ctx, enrolments)
    counts = ", ".join(f"{model._meta.db_table} {len(rows):,}" for model, _f, rows in tables)
    ctx.log(f"    {total:,} lessons done; rows: {counts}")


def _events(enrolment_id: int, e: _Enrolment, later: datetime) -> list[tuple]:
    """The audit trail of an enrolment: its creation, then the change to its present status."""
    waits = e.status in (EnrolmentStatus.PENDING, EnrolmentStatus.ABANDONED)
    first = EnrolmentStatus.PENDING if waits else EnrolmentStatus.ACTIVE
    reason = {
        EnrolmentSource.FREE: "enrolment",
        EnrolmentSource.PAID: "checkout started" if waits else "payment confirmed by Stripe",
        EnrolmentSource.FUNDED: "funding approved",
        EnrolmentSource.STAFF: "enrolled by staff",
    }[e.source]
    events = [(enrolment_id, e.user_id, "", first, reason, e.created)]
    if e.status == EnrolmentStatus.COMPLETED:
        events.append(
            (enrolment_id, e.user_id, first, e.status, "all required lessons complete", later)
        )
    elif e.status == EnrolmentStatus.ENDED:
        events.append((enrolment_id, None, first, e.status, "full refund", later))
    elif e.status == EnrolmentStatus.ABANDONED:
        events.append((enrolment_id, None, first, e.status, "abandoned before payment", later))
    return events


def _attestation_number(rng, year: int, taken: set[str]) -> str:
    """A number in the services' format (ATT-2026-7K3M9Q), unique among those already issued."""
    while True:
        number = f"ATT-{year}-{''.join(rng.choices(ALPHABET, k=6))}"
        if number not in taken:
            taken.add(number)
            return number


def _set_bench_pages(ctx: ScaleContext, enrolments: list[_Enrolment]) -> None:
    """The course the benchmark opens as the persona (active, half done), and a lesson of it."""
    mine = [e for e in enrolments if e.persona and e.status == EnrolmentStatus.ACTIVE]
    if not mine:
        return
    enrolment = mine[len(mine) // 2]
    course = enrolment.course
    ctx.bench_course_id = course.page_id
    lessons = [lesson for lesson in course.lessons if not lesson.is_preview]
    upcoming = [lesson for lesson in course.lessons[enrolment.done :] if not lesson.is_preview]
    ctx.bench_lesson_id = (upcoming or lessons)[0].page_id


def seed(ctx: ScaleContext) -> None:
    """Courses and lessons under the French catalogue, then the trainees' learning records."""
    with Timer(ctx, "  course pages"):
        courses = seed_pages(ctx)
    with Timer(ctx, "  enrolments and progress"):
        seed_learning(ctx, courses)
    # Check the deferred foreign keys now, so that a mistake here is reported as the courses'.
    with Timer(ctx, "  foreign keys checked"), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
