# Demo content for Actualités Express: fictional journalists and articles (plain data).

AUTHORS = [
    {
        "username": "camille.durand",
        "display_name": "Camille Durand",
        "bio": "Journaliste au service politique, Camille Durand suit la diplomatie et les relations internationales. Elle couvre aussi la vie des collectivités locales.",
    },
    {
        "username": "youssef.benali",
        "display_name": "Youssef Benali",
        "bio": "Youssef Benali raconte le sport de terrain, des clubs amateurs aux grandes compétitions. Il s’intéresse aussi aux innovations techniques qui changent le quotidien.",
    },
    {
        "username": "lea.marchetti",
        "display_name": "Léa Marchetti",
        "bio": "Léa Marchetti écrit sur l’économie, les entreprises et la recherche scientifique. Elle aime rendre les chiffres lisibles pour tous.",
    },
    {
        "username": "antoine.kouassi",
        "display_name": "Antoine Kouassi",
        "bio": "Antoine Kouassi couvre la culture, les festivals et les questions de société. Il anime également la rubrique consacrée au développement personnel.",
    },
]

ARTICLES = [
    {
        "slug": "rencontre-poutine-trump-alaska",
        "title": "Poutine et Trump en Alaska : près de trois heures d’entretien, mais pas d’accord",
        "standfirst": "Réunis sur la base militaire d’Elmendorf-Richardson, Donald Trump et Vladimir Poutine ont consacré près de trois heures de négociations à l’Ukraine. Les deux présidents disent avoir avancé, sans qu’aucun texte ne soit signé.",
        "category": "politique",
        "tags": ["Alaska", "Diplomatie", "Ukraine", "États-Unis"],
        "authors": ["camille.durand"],
        "published_at": "2025-08-15T23:50:00+02:00",
        "featured": True,
        "photo": {
            "caption": "Vladimir Poutine et Donald Trump en Alaska, le 15 août 2025.",
            "credit": "Andrew Caballero Reynolds",
            "alt": "Illustration abstraite : de larges aplats bleu nuit et bleu acier traversés par une bande rouge vif.",
            "palette": ["#1d3557", "#457b9d", "#e63946"],
        },
        "body": (
            "<p>Les deux avions présidentiels se sont posés à quelques minutes l’un de l’autre, vendredi, sur la base militaire d’Elmendorf-Richardson, aux portes d’Anchorage. "
            "Sur le tapis rouge déployé sur le tarmac, Donald Trump a accueilli Vladimir Poutine en l’applaudissant, avant une poignée de main prolongée sous l’œil des caméras. "
            "Le président américain a ensuite invité son hôte à prendre place à bord de « The Beast », la limousine blindée qui l’accompagne dans tous ses déplacements. "
            "Pour nombre de diplomates, ce court trajet partagé avait valeur de signal : Washington tenait à placer la journée sous le signe de la détente.</p>"
            "<h2>Un huis clos élargi aux plus proches conseillers</h2>"
            "<p>Le tête-à-tête un temps évoqué n’a finalement pas eu lieu. Chaque président s’était fait accompagner de deux fidèles. "
            "Vladimir Poutine siégeait aux côtés de Sergueï Lavrov, le chef de la diplomatie russe, et de Iouri Ouchakov, qui le conseille sur les affaires internationales. "
            "En face, Donald Trump avait à sa droite et à sa gauche Marco Rubio, son secrétaire d’État, et Steve Witkoff, l’émissaire qu’il envoie régulièrement à Moscou.</p>"
            "<p>La séance s’est étirée sur près de trois heures. À sa sortie, le président russe a jugé la discussion « constructive » et « respectueuse ». "
            "Aucun document n’a pourtant été paraphé. La guerre en Ukraine a occupé l’essentiel de l’entretien, et les deux délégations se sont gardées de détailler les sujets sur lesquels leurs positions auraient bougé.</p>"
            "<h2>À Washington, un bilan résolument optimiste</h2>"
            "<p>Devant la presse, Donald Trump n’a pas caché sa satisfaction. À l’en croire, plusieurs questions sont désormais réglées entre les deux capitales.</p>"
            "<blockquote><p>Les deux parties ont accompli « de grands progrès », a assuré le président américain, tout en reconnaissant qu’un point restait à trancher, « probablement le plus important ».</p></blockquote>"
            "<p>De ce dernier dossier, il n’a rien voulu révéler. Il a préféré insister sur la qualité de l’échange et laisser entendre qu’une issue au conflit lui paraissait désormais à portée de main.</p>"
            "<blockquote><p>« Extrêmement productif » : c’est ainsi que Donald Trump a résumé l’après-midi passé avec son homologue russe.</p></blockquote>"
            "<p>Vladimir Poutine a choisi un autre angle. Il a mis en avant la sécurité de l’Ukraine, qui devrait selon lui être garantie pour qu’une paix durable s’installe dans la région. "
            "Il a aussi affirmé que la Russie souhaitait réellement voir la guerre prendre fin, et dit espérer que les points d’entente trouvés en Alaska serviront de socle à la suite des pourparlers.</p>"
            "<h2>Des manifestants dans la rue, des questions restées sans réponse</h2>"
            "<p>Hors de l’enceinte militaire, la venue du dirigeant russe n’a pas fait l’unanimité. Dans les rues d’Anchorage, des soutiens de l’Ukraine se sont rassemblés pour dénoncer les honneurs réservés à un chef d’État qu’ils tiennent pour responsable de crimes de guerre. "
            "Le rassemblement est resté de taille modeste, mais il a rappelé que la ligne de la Maison-Blanche envers Moscou demeure vivement contestée dans une partie de l’opinion américaine.</p>"
            "<p>Le sort des civils ukrainiens, lui, a été absent des prises de parole. Dès sa descente d’avion, Vladimir Poutine a été interpellé par une journaliste qui lui demandait s’il s’engageait à cesser de tuer des civils : il n’a pas répondu. "
            "Ni lui ni Donald Trump n’ont abordé la question devant la presse par la suite.</p>"
            "<h2>Zelensky, l’OTAN… et peut-être Moscou</h2>"
            "<p>La prochaine étape passera d’abord par le téléphone. Donald Trump a indiqué qu’il appellerait Volodymyr Zelensky ainsi que les dirigeants des pays de l’OTAN, pour leur rendre compte de l’entretien et poursuivre sa médiation. "
            "Vladimir Poutine a, de son côté, créé la surprise en proposant que leur prochain sommet soit organisé à Moscou. Le président américain n’a pas fermé la porte : cela « pourrait arriver », a-t-il répondu.</p>"
            "<p>Aucune date n’a été fixée et aucun cessez-le-feu n’a été annoncé. Après une longue période de relations glaciales, le simple fait de voir Washington et Moscou reprendre langue au plus haut niveau sera scruté de près à Kiev comme dans les capitales européennes. "
            "Reste à savoir si l’optimisme affiché sur le tarmac d’Anchorage se traduira, dans les semaines qui viennent, par des engagements vérifiables.</p>"
        ),
    },
    {
        "slug": "lerac-sur-vienne-budget-participatif",
        "title": "Lérac-sur-Vienne confie une part de son budget à ses habitants",
        "standfirst": "Le conseil municipal de Lérac-sur-Vienne a voté la création d’un budget participatif. Dès l’automne, les habitants pourront proposer des projets, puis choisir ceux que la commune financera.",
        "category": "politique",
        "tags": ["Démocratie locale", "Budget participatif", "Collectivités"],
        "authors": ["camille.durand", "antoine.kouassi"],
        "published_at": "2025-08-14T18:10:00+02:00",
        "featured": False,
        "photo": {
            "caption": "La salle du conseil municipal de Lérac-sur-Vienne, le soir du vote.",
            "credit": "Mathilde Sorel",
            "alt": "Illustration abstraite : rectangles superposés vert sauge, beige sable et bleu ardoise.",
            "palette": ["#84a98c", "#e9d8a6", "#3d5a80"],
        },
        "body": (
            "<p>La séance a duré plus de deux heures, mais le résultat ne faisait guère de doute. Le conseil municipal de Lérac-sur-Vienne a adopté, à une large majorité, la création d’un budget participatif doté de 300 000 euros par an. "
            "L’idée : laisser les habitants décider eux-mêmes de l’usage d’une partie des investissements de la commune.</p>"
            "<h2>Un calendrier en trois temps</h2>"
            "<p>La municipalité a présenté un dispositif volontairement simple, pensé pour que chacun puisse y prendre part :</p>"
            "<ul>"
            "<li><strong>Octobre et novembre</strong> : dépôt des idées, en ligne ou sur papier à l’accueil de la mairie ;</li>"
            "<li><strong>Hiver</strong> : étude de faisabilité et chiffrage par les services techniques ;</li>"
            "<li><strong>Printemps</strong> : vote des habitants, dès l’âge de 12 ans, sans condition de nationalité.</li>"
            "</ul>"
            "<p>Seuls les projets d’intérêt général relevant des compétences de la commune seront retenus : aménagement d’un square, pistes cyclables, jardins partagés, équipements sportifs de proximité…</p>"
            "<blockquote><p>« Les habitants connaissent leur quartier mieux que nous. Ce budget, c’est une manière de leur faire confiance », a résumé l’adjointe chargée de la démocratie locale.</p></blockquote>"
            "<h2>Une opposition prudente</h2>"
            "<p>L’opposition municipale, sans voter contre, s’est abstenue. Elle redoute que les quartiers les mieux organisés captent l’essentiel des crédits et demande qu’une part de l’enveloppe soit réservée aux secteurs les moins dotés. "
            "La majorité s’est dite ouverte à un ajustement du règlement après une première année d’expérimentation. Un bilan public est prévu à l’issue du premier vote.</p>"
        ),
    },
    {
        "slug": "semi-marathon-trois-ponts-record",
        "title": "Semi-marathon des Trois-Ponts : une participation record malgré la chaleur",
        "standfirst": "Plus de 2 000 coureurs ont pris le départ du semi-marathon des Trois-Ponts, à Castelbrune. Les organisateurs avaient renforcé les ravitaillements pour faire face à des températures élevées dès le matin.",
        "category": "sports",
        "tags": ["Course à pied", "Castelbrune", "Athlétisme"],
        "authors": ["youssef.benali"],
        "published_at": "2025-08-10T14:25:00+02:00",
        "featured": False,
        "photo": {
            "caption": "Le peloton franchit le premier des trois ponts, quelques minutes après le départ.",
            "credit": "Julien Ferrand",
            "alt": "Illustration abstraite : diagonales orange vif et jaune soleil sur fond bleu ciel.",
            "palette": ["#f77f00", "#fcbf49", "#8ecae6"],
        },
        "body": (
            "<p>Jamais la course n’avait attiré autant de monde. Dimanche matin, ils étaient plus de 2 000 sur la ligne de départ du semi-marathon des Trois-Ponts, à Castelbrune, soit plusieurs centaines de plus que l’an dernier. "
            "Le parcours, qui longe la rivière et franchit ses trois ponts historiques, reste l’un des plus appréciés de la région pour son profil plat.</p>"
            "<h2>Départ avancé et ravitaillements doublés</h2>"
            "<p>Face aux prévisions de chaleur, l’organisation avait avancé le départ d’une demi-heure. Les points d’eau ont été doublés et des brumisateurs installés tous les cinq kilomètres. "
            "Une équipe de secouristes supplémentaire était mobilisée à l’arrivée ; quelques coureurs ont été pris en charge pour des malaises sans gravité.</p>"
            "<p>Chez les hommes, la victoire est revenue à un licencié du club local, qui a bouclé les 21,1 kilomètres en un peu plus d’une heure et huit minutes. "
            "Chez les femmes, une athlète venue de la région voisine s’est imposée avec une avance confortable, après avoir mené de bout en bout.</p>"
            "<blockquote><p>« On a vu énormément de premières participations. Beaucoup de gens se sont mis à courir ces dernières années, et ils viennent chercher un objectif », se réjouit le président du comité d’organisation.</p></blockquote>"
            "<p>Le succès pose désormais une question de place : les rues du centre ancien ne permettent pas d’accueillir beaucoup plus de coureurs. "
            "Les organisateurs réfléchissent à des départs par vagues pour la prochaine édition, afin de fluidifier les premiers kilomètres.</p>"
        ),
    },
    {
        "slug": "handball-vaudrel-formation-reprise",
        "title": "Handball : à Vaudrel, le club mise sur ses jeunes pour la reprise",
        "standfirst": "Privé de plusieurs cadres partis à l’intersaison, le HBC Vaudrel reprend l’entraînement avec un effectif rajeuni. Le club assume un pari sur la formation, sans renoncer à ses ambitions.",
        "category": "sports",
        "tags": ["Handball", "Formation", "Vaudrel"],
        "authors": ["youssef.benali", "antoine.kouassi"],
        "published_at": "2025-08-04T09:40:00+02:00",
        "featured": False,
        "photo": {
            "caption": "Les joueurs du HBC Vaudrel lors de leur première séance de la saison.",
            "credit": "Nadia Chevallier",
            "alt": "Illustration abstraite : cercles rouge brique et blanc cassé sur un fond gris anthracite.",
            "palette": ["#b23a48", "#f1faee", "#2b2d42"],
        },
        "body": (
            "<p>Le gymnase sentait encore la peinture fraîche quand les joueurs ont retrouvé le parquet, lundi matin. Pour le HBC Vaudrel, cette reprise a un goût particulier : "
            "quatre joueurs expérimentés ont quitté le club cet été, et ce sont des jeunes issus du centre de formation qui vont devoir prendre le relais.</p>"
            "<h2>Un effectif rajeuni</h2>"
            "<p>La moyenne d’âge de l’équipe première passe sous la barre des 23 ans. Trois joueurs formés au club signent leur premier contrat, et deux autres, encore juniors, s’entraîneront régulièrement avec le groupe professionnel.</p>"
            "<blockquote><p>« On ne va pas se cacher : il y aura des soirées difficiles. Mais ces garçons connaissent notre jeu par cœur, et ils ont faim », explique l’entraîneur principal.</p></blockquote>"
            "<p>Le staff a bâti une préparation progressive, avec un accent mis sur la condition physique et la défense, secteur qui avait coûté de nombreux points la saison passée. Au programme des prochaines semaines :</p>"
            "<ul>"
            "<li>un stage de cohésion de quatre jours en moyenne montagne ;</li>"
            "<li>cinq matchs amicaux, dont deux face à des équipes de division supérieure ;</li>"
            "<li>un tournoi de présentation devant le public vaudrelois, fin août.</li>"
            "</ul>"
            "<h2>Un modèle économique assumé</h2>"
            "<p>Derrière ce choix sportif se cache aussi une réalité financière. Avec un budget serré, le club ne peut rivaliser avec les salaires proposés ailleurs. "
            "Ses dirigeants préfèrent investir dans l’encadrement des jeunes, convaincus que la stabilité paiera sur la durée. L’objectif affiché reste le maintien, avec l’espoir de bousculer quelques favoris à domicile.</p>"
        ),
    },
    {
        "slug": "rentree-professionnelle-six-reflexes",
        "title": "Reprendre le travail après l’été : six réflexes pour une rentrée sereine",
        "standfirst": "Boîte de réception saturée, dossiers en attente, rythme à retrouver : le retour de congés peut vite tourner au marathon. Quelques habitudes simples aident à reprendre pied sans perdre le bénéfice des vacances.",
        "category": "coaching",
        "tags": ["Rentrée", "Organisation", "Bien-être au travail"],
        "authors": ["lea.marchetti"],
        "published_at": "2025-08-13T07:30:00+02:00",
        "featured": False,
        "photo": {
            "caption": "Un bureau rangé et un agenda ouvert, prêts pour la première journée de reprise.",
            "credit": "Élise Marchand",
            "alt": "Illustration abstraite : formes arrondies vert menthe, blanc crème et corail.",
            "palette": ["#95d5b2", "#fefae0", "#f28482"],
        },
        "body": (
            "<p>Les vacances ont beau avoir été reposantes, le premier matin de reprise ressemble souvent à une course d’obstacles. "
            "Bonne nouvelle : la façon dont on aborde ces premiers jours pèse beaucoup sur la suite. Voici six réflexes pour limiter le choc.</p>"
            "<h2>Avant de partir… et au retour</h2>"
            "<ol>"
            "<li><strong>Prévoir un sas.</strong> Rentrer la veille au soir de la reprise laisse peu de marge. Une journée tampon à la maison permet de ranger, faire les courses et se recaler sur un horaire de coucher raisonnable.</li>"
            "<li><strong>Trier avant de répondre.</strong> Plutôt que de traiter les messages dans l’ordre d’arrivée, commencez par les parcourir tous pour repérer ceux qui sont devenus sans objet.</li>"
            "<li><strong>Bloquer du temps.</strong> Réservez dans l’agenda deux créneaux sans réunion lors des premiers jours pour vous remettre à niveau.</li>"
            "<li><strong>Faire le point avec l’équipe.</strong> Un court échange avec un collègue resté en poste vaut souvent mieux qu’une heure de lecture de fils de discussion.</li>"
            "<li><strong>Fixer trois priorités par jour.</strong> Pas dix. Trois, réalistes, dont au moins une que vous êtes sûr de boucler.</li>"
            "<li><strong>Garder un morceau d’été.</strong> Une marche le midi, un repas en terrasse, un livre commencé en vacances : ces rituels prolongent l’effet du repos.</li>"
            "</ol>"
            "<h2>Accepter une reprise progressive</h2>"
            "<p>Il est normal de se sentir moins efficace pendant quelques jours. Vouloir rattraper tout le retard dès la première semaine est le meilleur moyen d’épuiser en quelques jours l’énergie accumulée pendant des semaines. "
            "Si la fatigue ou l’anxiété persistent au-delà de la période de réadaptation, il peut être utile d’en parler à son médecin ou au service de santé au travail.</p>"
        ),
    },
    {
        "slug": "prise-de-parole-apprivoiser-le-trac",
        "title": "Prise de parole en public : quatre étapes pour apprivoiser le trac",
        "standfirst": "Cœur qui s’emballe, voix qui tremble, trou de mémoire redouté : le trac touche aussi les orateurs chevronnés. Bien préparé, il peut pourtant devenir un allié plutôt qu’un frein.",
        "category": "coaching",
        "tags": ["Communication", "Confiance en soi", "Prise de parole"],
        "authors": ["antoine.kouassi"],
        "published_at": "2025-08-06T08:15:00+02:00",
        "featured": False,
        "photo": {
            "caption": "Un pupitre et un micro face à une salle encore vide, avant une conférence.",
            "credit": "Thomas Vidal",
            "alt": "Illustration abstraite : faisceau doré sur fond violet profond, bordé d’une touche rose pâle.",
            "palette": ["#3c096c", "#ffb703", "#ffc8dd"],
        },
        "body": (
            "<p>Présenter un projet devant sa direction, porter un toast lors d’un mariage, défendre un dossier en réunion publique : les occasions de parler devant les autres ne manquent pas. "
            "Et pour beaucoup, elles s’accompagnent d’une appréhension tenace. Le trac n’est pourtant pas un défaut : c’est une réaction du corps face à un enjeu. L’objectif n’est pas de le supprimer, mais de le canaliser.</p>"
            "<h2>Une méthode en quatre temps</h2>"
            "<ol>"
            "<li><strong>Structurer plutôt que réciter.</strong> Un plan clair en trois parties se retient bien mieux qu’un texte appris par cœur, et laisse de la place à l’imprévu.</li>"
            "<li><strong>Répéter à voix haute.</strong> Lire ses notes en silence ne suffit pas. S’entendre, se chronométrer, voire s’enregistrer, permet de repérer les passages qui accrochent.</li>"
            "<li><strong>Respirer avant de commencer.</strong> Quelques expirations lentes et profondes aident à faire redescendre le rythme cardiaque juste avant de prendre la parole.</li>"
            "<li><strong>Chercher des visages bienveillants.</strong> Dans toute assemblée, quelques personnes hochent la tête. S’adresser à elles en premier rassure et installe le contact avec la salle.</li>"
            "</ol>"
            "<blockquote><p>« Le public ne remarque presque jamais le trac que l’on croit visible. Ce qu’il retient, c’est la clarté du message », rappelle une formatrice en communication orale.</p></blockquote>"
            "<h2>Progresser par petites marches</h2>"
            "<p>Comme pour tout apprentissage, l’aisance vient avec la pratique. Mieux vaut multiplier les interventions courtes, dans un cadre rassurant, que d’attendre le grand oral pour se lancer. "
            "Associations, ateliers d’improvisation ou clubs d’éloquence offrent autant d’occasions de s’exercer sans pression.</p>"
        ),
    },
    {
        "slug": "castelbrune-commerces-paiement-mobile",
        "title": "À Castelbrune, les commerces du centre-ville misent sur le paiement mobile",
        "standfirst": "Boulangeries, librairies et marchés couverts : à Castelbrune, de plus en plus de commerçants acceptent le paiement par téléphone. Un moyen d’attirer une clientèle plus jeune, mais qui a un coût.",
        "category": "economie",
        "tags": ["Commerce", "Paiement mobile", "Castelbrune"],
        "authors": ["lea.marchetti", "camille.durand"],
        "published_at": "2025-08-12T11:05:00+02:00",
        "featured": False,
        "photo": {
            "caption": "Une cliente règle ses achats avec son téléphone dans une épicerie du centre-ville.",
            "credit": "Karim Aubert",
            "alt": "Illustration abstraite : carrés turquoise et bleu canard posés sur un fond jaune pâle.",
            "palette": ["#2a9d8f", "#264653", "#e9c46a"],
        },
        "body": (
            "<p>Dans la rue piétonne de Castelbrune, les petits autocollants se multiplient sur les vitrines : « paiement sans contact accepté ». "
            "Selon l’association des commerçants, près de huit boutiques sur dix proposent désormais le règlement par téléphone ou par montre connectée, contre à peine la moitié il y a trois ans.</p>"
            "<h2>Une demande venue des clients</h2>"
            "<p>Pour la plupart des commerçants interrogés, le mouvement a d’abord été subi. Les clients de moins de 35 ans, de plus en plus nombreux à sortir sans portefeuille, réclamaient cette possibilité.</p>"
            "<blockquote><p>« Quand un client repart sans rien parce qu’il ne peut pas payer, c’est une vente perdue. Je n’avais pas vraiment le choix », explique le gérant d’une librairie indépendante.</p></blockquote>"
            "<p>Le passage au paiement mobile a toutefois un prix. Entre la location du terminal et les commissions prélevées sur chaque transaction, la facture peut vite grimper pour les petits paniers. Les commerçants pointent notamment :</p>"
            "<ul>"
            "<li>des frais fixes mensuels difficiles à amortir en basse saison ;</li>"
            "<li>des commissions proportionnelles qui pèsent sur les produits à faible marge ;</li>"
            "<li>une dépendance accrue à la connexion internet du magasin.</li>"
            "</ul>"
            "<h2>Des espèces qui résistent</h2>"
            "<p>Les billets et les pièces ne disparaissent pas pour autant. Sur le marché couvert, une bonne partie de la clientèle, souvent plus âgée, continue de payer en liquide. "
            "La chambre de commerce locale recommande d’ailleurs de conserver plusieurs moyens de paiement, afin de n’exclure personne. Elle organise à la rentrée des ateliers pour aider les commerçants à comparer les offres des différents prestataires.</p>"
        ),
    },
    {
        "slug": "cooperative-laitiere-haut-vernay-fromagerie",
        "title": "La coopérative laitière du Haut-Vernay investit dans une nouvelle fromagerie",
        "standfirst": "Pour mieux valoriser le lait de ses adhérents, la coopérative du Haut-Vernay lance la construction d’un atelier de transformation. Une quinzaine d’emplois doivent être créés d’ici deux ans.",
        "category": "economie",
        "tags": ["Agriculture", "Coopératives", "Emploi"],
        "authors": ["lea.marchetti", "youssef.benali"],
        "published_at": "2025-08-02T10:20:00+02:00",
        "featured": False,
        "photo": {
            "caption": "Le troupeau d’une exploitation adhérente de la coopérative, sur les hauteurs du plateau.",
            "credit": "Sophie Lemaire",
            "alt": "Illustration abstraite : vagues vert prairie et vert olive sous un ciel blanc laiteux.",
            "palette": ["#6a994e", "#a7c957", "#f2e8cf"],
        },
        "body": (
            "<p>La première pierre a été posée en présence d’une centaine d’éleveurs. La coopérative laitière du Haut-Vernay, qui regroupe une soixantaine d’exploitations familiales, va se doter de sa propre fromagerie. "
            "Jusqu’ici, l’essentiel du lait collecté était revendu à des industriels, à un prix que les adhérents jugent insuffisant.</p>"
            "<h2>Garder la valeur sur le territoire</h2>"
            "<p>Le projet, chiffré à plusieurs millions d’euros, doit permettre de transformer sur place une partie de la collecte en tommes, yaourts et fromages frais. "
            "Il est financé par un emprunt bancaire, des aides régionales et une contribution des coopérateurs eux-mêmes.</p>"
            "<blockquote><p>« Nous produisons un lait de qualité, mais c’est d’autres qui en tirent la marge. Avec cet atelier, nous reprenons la main », résume le président de la coopérative, lui-même éleveur.</p></blockquote>"
            "<p>Les produits seront vendus en circuit court : magasin à la ferme, marchés, restauration collective et enseignes de la région. "
            "Une partie de la gamme sera certifiée en agriculture biologique, une douzaine d’exploitations ayant déjà achevé leur conversion.</p>"
            "<h2>Des recrutements à venir</h2>"
            "<p>L’atelier devrait entrer en service dans un peu moins de deux ans. Une quinzaine de postes sont prévus, de la fabrication à la vente, et la coopérative travaille avec le lycée agricole voisin pour former de futurs fromagers. "
            "Reste à sécuriser les débouchés : les dirigeants reconnaissent que le marché des produits laitiers haut de gamme est concurrentiel, et que la réussite dépendra de la fidélité des consommateurs locaux.</p>"
        ),
    },
    {
        "slug": "perseides-observer-etoiles-filantes",
        "title": "Perséides : nos conseils pour profiter des étoiles filantes du mois d’août",
        "standfirst": "Chaque été, la pluie d’étoiles filantes des Perséides offre un spectacle accessible sans matériel. Encore faut-il choisir le bon moment, le bon endroit, et laisser à ses yeux le temps de s’habituer à l’obscurité.",
        "category": "sciences-et-technologies",
        "tags": ["Astronomie", "Perséides", "Ciel d’été"],
        "authors": ["lea.marchetti"],
        "published_at": "2025-08-11T16:45:00+02:00",
        "featured": False,
        "photo": {
            "caption": "Une traînée lumineuse traverse le ciel nocturne au-dessus d’une forêt.",
            "credit": "Hugo Delattre",
            "alt": "Illustration abstraite : fines lignes argentées sur un dégradé bleu marine et indigo.",
            "palette": ["#0b132b", "#3a506b", "#c0c0c0"],
        },
        "body": (
            "<p>C’est l’un des rendez-vous astronomiques les plus populaires de l’année. Chaque mois d’août, la Terre traverse le nuage de poussières laissé par une comète, et ces minuscules grains, en se consumant dans l’atmosphère, dessinent des traits lumineux dans le ciel. "
            "Le phénomène culmine vers le milieu du mois, mais il reste observable plusieurs nuits avant et après.</p>"
            "<h2>Les bonnes conditions d’observation</h2>"
            "<ul>"
            "<li><strong>Fuir la lumière.</strong> Éloignez-vous des villes et des éclairages : plus le ciel est noir, plus vous verrez de météores.</li>"
            "<li><strong>Veiller tard.</strong> L’activité augmente généralement dans la seconde partie de la nuit, après minuit.</li>"
            "<li><strong>Surveiller la Lune.</strong> Une Lune très lumineuse efface les traînées les plus faibles ; profitez des heures où elle est basse ou couchée.</li>"
            "<li><strong>Regarder large.</strong> Inutile de fixer un point précis : allongez-vous et embrassez la plus grande portion de ciel possible.</li>"
            "</ul>"
            "<h2>Patience et confort</h2>"
            "<p>Il faut une vingtaine de minutes pour que l’œil s’adapte pleinement à l’obscurité. Évitez donc de consulter votre téléphone, ou réglez-le en mode nuit avec une luminosité minimale. "
            "Une couverture, une chaise longue et une boisson chaude rendent l’attente plus agréable, car les nuits peuvent être fraîches, même en plein été.</p>"
            "<blockquote><p>« Pas besoin de télescope ni de jumelles : les étoiles filantes s’observent à l’œil nu. Le meilleur instrument, c’est la patience », rappelle un animateur d’un club d’astronomie amateur.</p></blockquote>"
            "<p>Enfin, pensez à consulter la météo locale : un simple voile nuageux suffit à gâcher le spectacle.</p>"
        ),
    },
    {
        "slug": "saint-erlan-capteurs-fuites-eau",
        "title": "À Saint-Erlan, des capteurs connectés pour traquer les fuites d’eau",
        "standfirst": "La commune de Saint-Erlan teste des capteurs acoustiques conçus par une jeune entreprise régionale pour repérer les fuites sur son réseau d’eau potable. Les premiers résultats encouragent les élus à étendre l’expérience.",
        "category": "sciences-et-technologies",
        "tags": ["Eau", "Innovation", "Environnement"],
        "authors": ["youssef.benali", "lea.marchetti"],
        "published_at": "2025-08-07T13:00:00+02:00",
        "featured": False,
        "photo": {
            "caption": "Un technicien installe un capteur dans une chambre de vanne du réseau communal.",
            "credit": "Clara Besson",
            "alt": "Illustration abstraite : cercles concentriques bleu azur et bleu glacier sur fond gris clair.",
            "palette": ["#0077b6", "#90e0ef", "#e0e1dd"],
        },
        "body": (
            "<p>Sous les trottoirs de Saint-Erlan, une centaine de petits boîtiers écoutent désormais le réseau d’eau potable. Fixés sur les canalisations, ces capteurs enregistrent chaque nuit les vibrations de l’eau, à l’heure où la consommation est la plus faible. "
            "Un bruit continu et inhabituel signale une fuite probable.</p>"
            "<h2>Une fuite repérée avant d’être visible</h2>"
            "<p>La technologie a été développée par Hydrelis, une jeune entreprise installée dans la technopole voisine. Les données sont envoyées à une plateforme qui compare les signaux et localise la fuite à quelques mètres près. "
            "En six mois d’expérimentation, les agents communaux ont pu intervenir sur plusieurs ruptures de canalisation bien avant qu’elles n’apparaissent en surface.</p>"
            "<blockquote><p>« Avant, on découvrait une fuite quand la chaussée s’affaissait ou quand un riverain nous appelait. Aujourd’hui, on arrive avant les dégâts », témoigne le responsable du service des eaux.</p></blockquote>"
            "<p>L’enjeu est de taille. Sur de nombreux réseaux anciens, une part importante de l’eau traitée se perd avant d’arriver au robinet. Chaque fuite réparée, c’est de l’eau prélevée en moins dans les nappes et de l’énergie économisée dans les stations de pompage.</p>"
            "<h2>Vers une extension du dispositif</h2>"
            "<p>Convaincue, la municipalité envisage d’équiper l’ensemble de son réseau d’ici trois ans, en commençant par les quartiers aux conduites les plus anciennes. "
            "Les élus rappellent toutefois que ces outils ne remplacent pas le renouvellement des canalisations, qui reste indispensable sur le long terme.</p>"
        ),
    },
    {
        "slug": "festival-nuits-de-castelbrune-2025",
        "title": "Les Nuits de Castelbrune : un festival sous les étoiles pour sa douzième édition",
        "standfirst": "Concerts en plein air, cinéma sur écran géant et spectacles de rue : le festival Les Nuits de Castelbrune a ouvert ses portes. Les organisateurs misent sur des tarifs accessibles et une programmation éclectique.",
        "category": "culture-et-divertissement",
        "tags": ["Festival", "Musique", "Castelbrune"],
        "authors": ["antoine.kouassi"],
        "published_at": "2025-08-09T19:30:00+02:00",
        "featured": False,
        "photo": {
            "caption": "Le public rassemblé devant la grande scène lors de la soirée d’ouverture.",
            "credit": "Inès Garnier",
            "alt": "Illustration abstraite : éclats magenta et orange sur un fond bleu nuit.",
            "palette": ["#d81159", "#ff8c42", "#1b1b3a"],
        },
        "body": (
            "<p>Les premières notes ont résonné au coucher du soleil, dans la cour de l’ancien couvent. Pour sa douzième édition, le festival Les Nuits de Castelbrune a réuni plusieurs milliers de spectateurs dès sa soirée d’ouverture, malgré une chaleur encore pesante en début de soirée.</p>"
            "<h2>Une programmation pour tous les goûts</h2>"
            "<p>Fidèle à son esprit, le festival mélange les genres et les publics. Au programme de ces quatre jours :</p>"
            "<ul>"
            "<li>des concerts de musiques du monde, de jazz et de chanson sur la grande scène ;</li>"
            "<li>des projections de films en plein air, chaque soir à la tombée de la nuit ;</li>"
            "<li>des spectacles de cirque et de théâtre de rue dans les ruelles du centre ancien ;</li>"
            "<li>des ateliers gratuits pour les enfants l’après-midi.</li>"
            "</ul>"
            "<p>Les organisateurs ont maintenu des tarifs modérés, avec un pass de quatre jours vendu au même prix que l’an passé et la gratuité pour les moins de douze ans.</p>"
            "<blockquote><p>« Notre ambition, c’est qu’une famille puisse venir sans se ruiner et repartir avec des découvertes plein la tête », explique la directrice artistique du festival.</p></blockquote>"
            "<h2>Un festival plus sobre</h2>"
            "<p>Cette année, l’accent a aussi été mis sur l’environnement : gobelets réutilisables, restauration locale, navettes gratuites depuis la gare. "
            "Une centaine de bénévoles, souvent des habitants du quartier, se relaient pour accueillir le public. Les organisateurs espèrent dépasser la fréquentation de l’an dernier, à condition que les orages annoncés pour la fin de semaine épargnent la ville.</p>"
        ),
    },
    {
        "slug": "pont-aveline-theatre-de-verdure-reouverture",
        "title": "Pont-Aveline : le théâtre de verdure rouvre après deux ans de travaux",
        "standfirst": "Fermé depuis deux saisons pour une rénovation complète, le théâtre de verdure de Pont-Aveline accueille de nouveau le public. Gradins rénovés, accès facilité et une première saison tournée vers les troupes régionales.",
        "category": "culture-et-divertissement",
        "tags": ["Théâtre", "Patrimoine", "Spectacle vivant"],
        "authors": ["antoine.kouassi", "camille.durand"],
        "published_at": "2025-08-03T17:20:00+02:00",
        "featured": False,
        "photo": {
            "caption": "Les gradins rénovés du théâtre de verdure, adossés à la colline boisée.",
            "credit": "Baptiste Morel",
            "alt": "Illustration abstraite : demi-cercles étagés vert forêt et brun terre sous une bande beige.",
            "palette": ["#2d6a4f", "#7f5539", "#ede0d4"],
        },
        "body": (
            "<p>Il aura fallu deux ans de chantier, mais le résultat a conquis les premiers spectateurs. Le théâtre de verdure de Pont-Aveline, amphithéâtre de plein air niché au pied d’une colline boisée, a rouvert ses portes avec une soirée inaugurale jouée à guichets fermés.</p>"
            "<h2>Un lieu rénové et plus accessible</h2>"
            "<p>Les gradins de pierre, fragilisés par le temps, ont été consolidés et une partie des places a été équipée de dossiers. "
            "Une rampe permet désormais aux personnes en fauteuil roulant d’accéder à un espace réservé, avec une vue dégagée sur la scène. "
            "L’éclairage a été entièrement refait avec des projecteurs moins énergivores, et la sonorisation adaptée à l’acoustique naturelle du site.</p>"
            "<blockquote><p>« Ce théâtre fait partie de la mémoire de la ville. Il fallait le sauver sans le dénaturer », souligne l’architecte chargée du projet.</p></blockquote>"
            "<h2>Une saison tournée vers les troupes locales</h2>"
            "<p>Pour cette première saison, la programmation fait la part belle aux compagnies de la région : comédie, conte musical, théâtre jeune public et même une soirée d’improvisation. "
            "La municipalité a choisi une politique tarifaire douce, avec plusieurs représentations gratuites en matinée.</p>"
            "<p>Les associations du territoire pourront aussi réserver le lieu pour leurs propres événements en dehors des dates de programmation. "
            "Une façon, selon la mairie, de faire de ce théâtre rénové un espace vivant tout au long de la belle saison, et pas seulement un équipement réservé aux grandes occasions.</p>"
        ),
    },
    {
        "slug": "bellerive-sur-aure-salles-rafraichies-aines",
        "title": "Fortes chaleurs : Bellerive-sur-Aure ouvre des salles rafraîchies pour ses aînés",
        "standfirst": "Alors que les températures grimpent, la commune de Bellerive-sur-Aure met à disposition des lieux climatisés et renforce les appels aux personnes âgées isolées. Bénévoles et agents municipaux se mobilisent tout l’été.",
        "category": "societe",
        "tags": ["Canicule", "Solidarité", "Personnes âgées"],
        "authors": ["antoine.kouassi", "lea.marchetti"],
        "published_at": "2025-08-08T12:35:00+02:00",
        "featured": False,
        "photo": {
            "caption": "Des habitants se reposent dans la salle des fêtes transformée en espace rafraîchi.",
            "credit": "Margaux Lefort",
            "alt": "Illustration abstraite : soleil orange stylisé en surimpression sur des bandes bleu pâle.",
            "palette": ["#f4a261", "#caf0f8", "#ade8f4"],
        },
        "body": (
            "<p>Dans la salle des fêtes de Bellerive-sur-Aure, les tables de banquet ont laissé place à des fauteuils, des fontaines à eau et quelques jeux de société. "
            "Depuis le début de la semaine, la commune ouvre chaque après-midi trois lieux rafraîchis où les habitants, et en particulier les plus âgés, peuvent venir passer les heures les plus chaudes.</p>"
            "<h2>Un registre pour ne laisser personne de côté</h2>"
            "<p>Le centre communal d’action sociale tient un registre des personnes vulnérables qui le souhaitent. Pendant les épisodes de chaleur, chacune reçoit un appel régulier pour vérifier que tout va bien. Les agents rappellent à cette occasion quelques gestes simples :</p>"
            "<ul>"
            "<li>boire régulièrement, sans attendre d’avoir soif ;</li>"
            "<li>fermer volets et fenêtres pendant la journée, aérer la nuit ;</li>"
            "<li>se rafraîchir le corps avec un linge humide ;</li>"
            "<li>éviter les sorties et les efforts aux heures les plus chaudes.</li>"
            "</ul>"
            "<blockquote><p>« Certaines personnes n’ont parfois pas parlé à quelqu’un depuis plusieurs jours. Ces appels, c’est aussi un lien humain », confie une bénévole de l’association d’entraide locale.</p></blockquote>"
            "<h2>Une navette à la demande</h2>"
            "<p>Pour celles et ceux qui ne peuvent pas se déplacer facilement, un minibus municipal assure le transport vers les salles rafraîchies, sur simple appel la veille. "
            "La mairie invite les habitants à signaler tout voisin isolé et rappelle qu’en cas de malaise, il faut composer sans attendre le numéro des urgences.</p>"
        ),
    },
]
