#!/usr/bin/python3
"""Writes a synthetic English NER data set (PER, ORG, LOC, MISC; BIO tags) as CoNLL files.

Sentences are short news-like templates filled with names. The test split is built to be partly new: a share of
its templates and of the name parts (first names, surnames, organisation stems, places, nationalities) never
occur in train, so the score says something about generalisation, not only recall of seen strings. The overlap
is printed and written to stats.json. Standard library only; the same seed gives byte-identical files.

    /usr/bin/python3 scripts/ner-data/make_ner_conll.py [--out DIR] [--train N] [--test N] [--seed S]
"""

import argparse
import json
import os
import random
import sys

# One line: "token TAG", as CoNLL-2003 writes it (bert4j's ConllDataset takes the first and the last column).
# Templates are written with spaces around punctuation, so splitting on spaces gives CoNLL-style tokens.
TEMPLATES = [
    "{PER} , the chief executive of {ORG} , said on {DAY} that the company would cut {NUM} jobs .",
    "{ORG} shares rose {PCT} percent in {LOC} after the company reported higher profits .",
    "{NAT} officials met in {LOC} to discuss the {EVENT} .",
    "Police in {LOC} said {NUM} people were injured when a bus overturned on {DAY} .",
    "{PER} scored twice as {CLUB} beat {CLUB2} {SCORE} on {DAY} .",
    "The {ORG} said it expected growth to slow in the second half of {YEAR} .",
    "{PER} will visit {LOC} and {LOC2} next week , a spokesman said .",
    "Prices were mostly unchanged on {DAY} , dealers said .",
    "{PER} told reporters in {LOC} that the talks had been constructive .",
    "{NAT} troops crossed into {LOC} early on {DAY} , witnesses said .",
    "{ORG} agreed to buy {ORG2} for {NUM} million dollars .",
    "The weather is expected to stay dry for the rest of the week .",
    "{PER} ( {LOC} ) beat {PER2} ( {LOC2} ) {SETS}",
    "{CLUB} {GOALS} {CLUB2} {GOALS2}",
    "{PER} , who joined {CLUB} in {YEAR} , is expected to stay until the end of the season .",
    "Officials from {ORG} arrived in {LOC} on {DAY} to inspect the damage .",
    "The {NAT} government denied reports that it had closed its embassy in {LOC} .",
    "{PER} won the {EVENT} for the second time .",
    "Analysts said the {NAT} market would remain volatile until {MONTH} .",
    "Trading was thin ahead of the holiday .",
    "{ORG} said in a statement that {PER} had resigned .",
    "{PER} , a {NAT} national , was arrested in {LOC} on {DAY} .",
    "The {EVENT} will be held in {LOC} in {YEAR} .",
    "{COUNTRY} 's central bank left interest rates unchanged on {DAY} .",
    "Heavy rain caused flooding in {CITY} , {COUNTRY} , the local authorities said .",
    "{PER} said {ORG} had no plans to leave {LOC} .",
    "Fans of {CLUB} gathered outside the stadium in {CITY} .",
    "{PER} of {COUNTRY} set a new record at the {EVENT} .",
    "Shares in {ORG} fell sharply after {PER} warned of lower profits .",
    "{NUM} people were killed in clashes in {LOC} , according to {ORG} .",
    "The {NAT} foreign minister , {PER} , arrived in {LOC} for talks .",
    "A spokesman for {ORG} declined to comment .",
    "{PER} and {PER2} will meet in {LOC} on {DAY} .",
    "A court in {CITY} sentenced {PER} to {YEARS} years in prison .",
    "It was not immediately clear who was responsible for the attack .",
    "{ORG} reported a net profit of {NUM} million dollars for {YEAR} .",
    "{PER} said in an interview with {MEDIA} that the deal was fair .",
    "The {NAT} team arrived in {CITY} for the {EVENT} .",
    "{COUNTRY} beat {COUNTRY2} {SCORE} in a friendly on {DAY} .",
    "{PER} has been named coach of {CLUB} .",
    "Oil prices rose on {DAY} as traders worried about supplies from {COUNTRY} .",
    "{ORG} and {ORG2} signed a cooperation agreement in {CITY} .",
    "The {EVENT} drew more than {NUM} visitors .",
    "{PER} was born in {CITY} in {YEAR} .",
    "The index closed {PCT} percent higher .",
    "{NAT} and {NAT2} negotiators resumed talks in {CITY} .",
    "{PER} told {MEDIA} that the strike would continue .",
    "Thousands of people marched through {CITY} on {DAY} to protest against the new law .",
    "{ORG} 's chairman , {PER} , will step down in {MONTH} .",
    "Rescue teams searched for survivors near {LOC} .",
    "{PER} , {AGE} , retired from international football after the {EVENT} .",
    "The company did not give details of the deal .",
    "{PER} of {ORG} said demand from {COUNTRY} was strong .",
    "A {NAT} tourist was found dead in {CITY} , police said .",
    "{ORG} opened a new factory in {CITY} on {DAY} .",
    "Voters in {LOC} go to the polls on {DAY} .",
    "{PER} denied that {ORG} had broken any rules .",
    "The {EVENT} final will be played at {VENUE} in {CITY} .",
    "Asked about the report , {PER} said : \" We have nothing to hide . \"",
    "Demand for wheat was weak , traders said .",
    "{PER} 's lawyer said he would appeal .",
    "{ORG} won the contract to build a bridge across the {RIVER} .",
    "The {NAT} president , {PER} , is due to visit {COUNTRY} in {MONTH} .",
    "{PER} replaced {PER2} in the {MINUTE} minute .",
    "{CITY} police arrested {NUM} suspects on {DAY} .",
    "Ticket sales for the {EVENT} have been slow .",
    "Talks between {ORG} and the {NAT} government broke down on {DAY} .",
    "{PER} ( {TEAM} ) {TIME}",
    "{PER} said the {NAT} economy grew by {PCT} percent last year .",
    "Nothing has been decided yet , the minister said .",
    "{CLUB} fans celebrated in the streets of {CITY} late on {DAY} .",
    "Exports to {COUNTRY} rose {PCT} percent in {MONTH} .",
    "{PER} , {PER2} and {PER3} were named in the squad for the {EVENT} .",
    "SOCCER - {CLUB} BEAT {CLUB2} TO REACH {EVENT} FINAL .",
    "TENNIS - {PER} WINS {EVENT} .",
    "{CITY} {DATE} ( {MEDIA} ) - {ORG} said on {DAY} it had hired {PER} .",
    "The {NAT} embassy in {CITY} was closed for security reasons .",
    "{ORG} , {ORG2} and {ORG3} all reported losses .",
    "The meeting ended without agreement .",
    "{PER} , the {NAT} ambassador to {COUNTRY} , was recalled on {DAY} .",
]

# Each list is "a|b c|d": entries separated by "|", tokens by spaces.
FIRST = ("John|Mary|Ahmed|Li|Olga|Pedro|Fatima|Hans|Yuki|Kwame|Sophie|Rahul|Elena|Tomas|Aisha|Igor|Chen|Maria|Jean|"
         "Kofi|Anna|Lars|Ingrid|Diego|Carlos|Miguel|Jose|Luis|Ana|Isabel|Pierre|Claude|Michel|Francois|Henri|Klaus|"
         "Jurgen|Wolfgang|Dieter|Helmut|Giovanni|Marco|Luca|Paolo|Francesca|Giulia|Ivan|Dmitri|Sergei|Boris|Natasha|"
         "Tatiana|Hiroshi|Kenji|Takeshi|Akira|Wei|Ming|Jun|Hyun|Min|Ravi|Sanjay|Priya|Anil|Sunil|Omar|Hassan|Ali|"
         "Yusuf|Leila|Nadia|Samir|Karim|Tariq|David|Michael|Robert|James|William|Richard|Thomas|Charles|Daniel|Paul|"
         "Mark|Steven|Andrew|Peter|George|Edward|Brian|Kevin|Jason|Sarah|Emma|Laura|Rachel|Karen|Susan|Linda|Helen|"
         "Nancy|Jessica|Jan|Piet|Willem|Henrik|Sven|Erik|Bjorn|Magnus|Nils|Astrid|Mats|Jiri|Pavel|Tomasz|Piotr|"
         "Krzysztof|Zoltan|Laszlo|Istvan|Mehmet|Mustafa|Emre|Nikos|Yannis|Dimitris|Abebe|Chidi|Thabo|Sipho|Nelson|"
         "Desmond|Winston|Gordon|Tony|Nicolas|Angela|Silvio|Romano|Vladimir|Ehud|Yasser|Benazir|Nawaz|Rafael|Andre|"
         "Goran|Zlatko|Slobodan|Alija|Ante|Marat|Nursultan|Ruslan|Alexei|Oleg|Viktor")
LAST = ("Smith|Johnson|Williams|Brown|Jones|Miller|Davis|Garcia|Rodriguez|Martinez|Hernandez|Lopez|Gonzalez|Wilson|"
        "Anderson|Taylor|Moore|Jackson|Martin|Lee|Thompson|White|Harris|Clark|Lewis|Robinson|Walker|Young|Allen|King|"
        "Wright|Scott|Hill|Green|Adams|Baker|Nelson|Carter|Mitchell|Roberts|Turner|Phillips|Campbell|Parker|Evans|"
        "Edwards|Collins|Stewart|Morris|Murphy|Cook|Rogers|Morgan|Cooper|Peterson|Reed|Bailey|Kelly|Howard|Ward|Cox|"
        "Richardson|Wood|Watson|Brooks|Bennett|Gray|Hughes|Price|Sanders|Myers|Long|Ross|Foster|Muller|Schmidt|"
        "Schneider|Fischer|Weber|Meyer|Wagner|Becker|Hoffmann|Schulz|Koch|Richter|Dubois|Durand|Lefebvre|Moreau|"
        "Laurent|Simon|Michel|Leroy|Rossi|Russo|Ferrari|Esposito|Bianchi|Romano|Colombo|Ricci|Marino|Greco|Ivanov|"
        "Smirnov|Kuznetsov|Popov|Sokolov|Lebedev|Kozlov|Novikov|Morozov|Petrov|Volkov|Tanaka|Suzuki|Takahashi|"
        "Watanabe|Ito|Yamamoto|Nakamura|Kobayashi|Kato|Wang|Zhang|Liu|Yang|Huang|Zhao|Zhou|Wu|Kim|Park|Choi|Jung|"
        "Kang|Singh|Kumar|Sharma|Patel|Gupta|Khan|Rahman|Hussein|Abdullah|Haddad|Nasser|Mansour|Okafor|Mensah|"
        "Mbeki|Nkosi|Kariuki|Otieno|Jansen|De Vries|Van Dijk|Bakker|Visser|Smit|Andersson|Johansson|Karlsson|"
        "Nilsson|Eriksson|Larsen|Hansen|Nielsen|Kowalski|Nowak|Wisniewski|Novak|Horvath|Nagy|Kovacs|Yilmaz|Demir|"
        "Papadopoulos|Georgiou|Silva|Santos|Oliveira|Souza|Costa|Pereira|Ferreira|Almeida|Carvalho|Gomes|O'Brien|"
        "O'Neill|McDonald|McCarthy|Fitzgerald|Van der Berg|De la Cruz|Al-Rashid|Ben Ali")
COMPANY_STEM = ("Atlas|Northern|Pacific|Meridian|Summit|Pioneer|Orion|Vanguard|Sterling|Horizon|Apex|Crown|Falcon|"
                "Liberty|Phoenix|Titan|Zenith|Harbor|Granite|Silverline|Redwood|Bluewater|Eastgate|Westfield|Kingston|"
                "Monarch|Nova|Polaris|Sentinel|Trident|Unity|Vertex|Aurora|Beacon|Cardinal|Delta|Evergreen|Frontier|"
                "Global|Heritage|Imperial|Jade|Keystone|Lakeside|Magna|Noble|Oakwood|Paragon|Quantum|Regal|Sapphire|"
                "Tristar|Union|Victory|Windsor|Yellowstone|Alpine|Baltic|Coastal|Danube|Elbe|Fjord|Gulf|Highland|"
                "Iberia|Jupiter|Kestrel|Lotus|Mistral|Nordic|Osprey|Prairie|Rhine|Sahara|Tundra|Ural|Volga|Yukon|"
                "Amber|Cobalt|Copper|Crystal|Diamond|Emerald|Ivory|Onyx|Pearl|Ruby|Scarlet|Topaz|Hanover|Cromwell|"
                "Bradford|Ashford|Whitmore|Lancaster")
COMPANY_SUFFIX = ("Holdings|Group|Bank|Airlines|Motors|Energy|Corp|Ltd|Insurance|Telecom|Steel|Mining|Foods|"
                  "Pharmaceuticals|Capital|Partners|Industries|Electronics|Chemicals|Shipping|Securities|Petroleum|"
                  "Media|Construction|Logistics|Bancorp|Airways|Resources|Systems|Software")
ORG_FIXED = ("Reuters|United Nations|NATO|World Bank|International Monetary Fund|European Commission|European Union|"
             "Bundesbank|Federal Reserve|Bank of England|Bank of Japan|General Motors|Ford|Toyota|Volkswagen|Siemens|"
             "Microsoft|IBM|Intel|Apple|Boeing|Airbus|Shell|BP|Exxon|Gazprom|Nestle|Unilever|Philips|Sony|Samsung|"
             "Nokia|Ericsson|Fiat|Renault|Peugeot|Daimler-Benz|Deutsche Bank|Credit Suisse|UBS|Barclays|HSBC|"
             "Citibank|Goldman Sachs|Morgan Stanley|Red Cross|Amnesty International|Greenpeace|OPEC|UNICEF|"
             "World Health Organisation|Interpol|FIFA|UEFA|International Olympic Committee|Labour Party|"
             "Conservative Party|Democratic Party|Republican Party|Social Democrats|Christian Democrats|Hamas|"
             "Fatah|Senate|Congress|Parliament|Supreme Court|Pentagon|Kremlin|White House|Foreign Ministry|"
             "Interior Ministry|Finance Ministry|Harvard University|Oxford University|Sorbonne|Stock Exchange|"
             "Nasdaq|Lloyd's|Kodak|Xerox|Pepsi|Coca-Cola|McDonald's|Nike|Adidas|Ikea|Lufthansa|KLM|Air France|"
             "Qantas|Aeroflot")
MEDIA = ("BBC|CNN|Reuters|AFP|Associated Press|Xinhua|Itar-Tass|Kyodo|Al Jazeera|ARD|ZDF|RAI|NHK|Le Monde|"
         "The Times|The Guardian|New York Times|Washington Post|Financial Times|Der Spiegel|El Pais|Corriere della Sera|"
         "Asahi Shimbun|The Independent|Sky News|Radio France|Deutsche Welle|Voice of America|ABC|CBS|NBC")
CLUB_SUFFIX = "United|City|Rovers|Athletic|Wanderers|Albion|Town|Olympique|Dynamo|Sporting"
COUNTRY = ("Germany|France|Italy|Spain|Portugal|Britain|Ireland|Netherlands|Belgium|Luxembourg|Switzerland|Austria|"
           "Poland|Czech Republic|Slovakia|Hungary|Romania|Bulgaria|Greece|Turkey|Cyprus|Russia|Ukraine|Belarus|"
           "Lithuania|Latvia|Estonia|Finland|Sweden|Norway|Denmark|Iceland|Serbia|Croatia|Bosnia|Slovenia|Albania|"
           "Macedonia|Georgia|Armenia|Azerbaijan|Kazakhstan|Uzbekistan|China|Japan|South Korea|North Korea|Taiwan|"
           "Vietnam|Thailand|Malaysia|Singapore|Indonesia|Philippines|India|Pakistan|Bangladesh|Sri Lanka|Nepal|"
           "Afghanistan|Iran|Iraq|Syria|Lebanon|Israel|Jordan|Saudi Arabia|Kuwait|Qatar|Yemen|Oman|Egypt|Libya|"
           "Tunisia|Algeria|Morocco|Sudan|Ethiopia|Somalia|Kenya|Uganda|Tanzania|Rwanda|Burundi|Zaire|Angola|"
           "Zambia|Zimbabwe|Mozambique|South Africa|Namibia|Botswana|Nigeria|Ghana|Ivory Coast|Senegal|Mali|"
           "Cameroon|United States|Canada|Mexico|Cuba|Haiti|Jamaica|Guatemala|Honduras|Nicaragua|Panama|Colombia|"
           "Venezuela|Ecuador|Peru|Bolivia|Brazil|Chile|Argentina|Uruguay|Paraguay|Australia|New Zealand|Fiji|"
           "U.S.|Sierra Leone|Costa Rica|El Salvador|Dominican Republic|Trinidad and Tobago")
CITY = ("London|Paris|Berlin|Rome|Madrid|Lisbon|Dublin|Amsterdam|Brussels|Geneva|Zurich|Vienna|Warsaw|Prague|"
        "Budapest|Bucharest|Sofia|Athens|Istanbul|Ankara|Moscow|Kiev|Minsk|Helsinki|Stockholm|Oslo|Copenhagen|"
        "Belgrade|Zagreb|Sarajevo|Tbilisi|Beijing|Shanghai|Hong Kong|Tokyo|Osaka|Seoul|Taipei|Hanoi|Bangkok|"
        "Kuala Lumpur|Jakarta|Manila|New Delhi|Bombay|Calcutta|Karachi|Islamabad|Dhaka|Colombo|Kabul|Tehran|"
        "Baghdad|Damascus|Beirut|Jerusalem|Tel Aviv|Amman|Riyadh|Cairo|Tripoli|Tunis|Algiers|Rabat|Khartoum|"
        "Addis Ababa|Mogadishu|Nairobi|Kampala|Kigali|Johannesburg|Cape Town|Lagos|Accra|Dakar|Washington|New York|"
        "Los Angeles|Chicago|Boston|Houston|Miami|San Francisco|Toronto|Montreal|Mexico City|Havana|Bogota|"
        "Caracas|Lima|La Paz|Rio de Janeiro|Sao Paulo|Santiago|Buenos Aires|Montevideo|Sydney|Melbourne|"
        "Auckland|Frankfurt|Munich|Hamburg|Milan|Naples|Barcelona|Seville|Lyon|Marseille|Manchester|Liverpool|"
        "Glasgow|Edinburgh|Rotterdam|Antwerp|Gothenburg|St Petersburg|Vladivostok|Grozny|Hebron|Gaza|Belfast|"
        "Bilbao|Valencia|Porto|Turin|Florence|Cologne|Stuttgart|Leipzig|Dresden|Krakow|Gdansk|Odessa|Kharkov|"
        "Almaty|Tashkent|Lahore|Madras|Bangalore|Canton|Nagoya|Kobe|Pusan|Durban|Pretoria|Abidjan|Kinshasa|"
        "Harare|Lusaka|Luanda|Maputo|Dallas|Atlanta|Detroit|Denver|Seattle|Phoenix|Philadelphia|Vancouver|"
        "Calgary|Ottawa|Quebec|Brisbane|Perth|Adelaide|Wellington|Christchurch|Monte Carlo|San Sebastian|"
        "Las Vegas|New Orleans|Salt Lake City|Kuala Terengganu|Port Louis|Port Moresby")
REGION = ("Bavaria|Catalonia|Scotland|Wales|Kashmir|Chechnya|Kosovo|Tibet|Sicily|Sardinia|Corsica|Flanders|"
          "Wallonia|Silesia|Siberia|Crimea|Kurdistan|Punjab|Bengal|Texas|California|Florida|Ohio|Quebec province|"
          "Ontario|Queensland|Patagonia|Andalusia|Tuscany|Normandy|Brittany|Lombardy|West Bank|Gaza Strip|"
          "Golan Heights|Balkans|Middle East|Latin America|Central Asia|Southeast Asia|Northern Ireland|"
          "Persian Gulf|Caucasus|Sahel|Great Lakes region|Horn of Africa")
RIVER = ("Danube|Rhine|Thames|Seine|Volga|Nile|Amazon|Mississippi|Yangtze|Mekong|Ganges|Euphrates|Tigris|Elbe|"
         "Oder|Dnieper|Zambezi|Niger|Congo|Jordan River|Rio Grande|Tagus|Po|Loire|Shannon")
VENUE = ("Wembley Stadium|Olympic Stadium|Stade de France|San Siro|Bernabeu|Parc des Princes|Maracana|Camp Nou|"
         "Old Trafford|Hampden Park|Yankee Stadium|Madison Square Garden|Melbourne Park|Flushing Meadows|"
         "Roland Garros|Stadio Olimpico|Ernst Happel Stadium|Feyenoord Stadium|Ibrox|Anfield")
NATIONALITY = ("German|French|Italian|Spanish|Portuguese|British|Irish|Dutch|Belgian|Swiss|Austrian|Polish|"
               "Czech|Slovak|Hungarian|Romanian|Bulgarian|Greek|Turkish|Cypriot|Russian|Ukrainian|Lithuanian|"
               "Latvian|Estonian|Finnish|Swedish|Norwegian|Danish|Icelandic|Serbian|Croatian|Bosnian|Slovenian|"
               "Albanian|Georgian|Armenian|Chinese|Japanese|Korean|Taiwanese|Vietnamese|Thai|Malaysian|"
               "Indonesian|Filipino|Indian|Pakistani|Afghan|Iranian|Iraqi|Syrian|Lebanese|Israeli|Palestinian|"
               "Jordanian|Saudi|Kuwaiti|Egyptian|Libyan|Algerian|Moroccan|Sudanese|Ethiopian|Somali|Kenyan|"
               "Ugandan|Rwandan|Zambian|South African|Nigerian|Ghanaian|American|Canadian|Mexican|Cuban|"
               "Colombian|Venezuelan|Peruvian|Brazilian|Chilean|Argentine|Uruguayan|Australian|New Zealand|"
               "European|Asian|African|Arab|Scandinavian|Latin American|Basque|Kurdish|Serb|Croat|Muslim|"
               "Bosnian Serb|Scottish|Welsh|English")
EVENT_FIXED = ("World Cup|Olympic Games|Tour de France|Asian Games|Commonwealth Games|European Championship|"
               "Champions League|UEFA Cup|Cup Winners' Cup|Davis Cup|Ryder Cup|Super Bowl|World Series|"
               "Africa Cup of Nations|Copa America|Giro d'Italia|Vuelta|Paris-Roubaix|Dakar Rally|Cannes Film Festival|"
               "Venice Film Festival|Frankfurt Book Fair|Gulf War|Cold War|Ramadan|Christmas|Easter|Oscars|"
               "Nobel Peace Prize|Grand National|Wimbledon Championships|Formula One championship|World Championships|"
               "Golden Globe Awards|Euro 96|Atlanta Games|Paralympics|America's Cup|Boston Marathon|London Marathon|"
               "New York Marathon")
EVENT_SUFFIX = "Open|Grand Prix|Cup|Masters|Classic|Rally|Marathon|Film Festival|Championship|Trophy"
DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"


def entries(text):
    return [e.split(" ") for e in text.split("|")]


class Pools:
    """Name parts split into 'seen' (train and test) and 'held out' (test only) with the generator's seed."""

    def __init__(self, rng, held_out):
        self.seen, self.unseen = {}, {}
        lists = {"first": FIRST, "last": LAST, "stem": COMPANY_STEM, "org": ORG_FIXED, "media": MEDIA,
                 "country": COUNTRY, "city": CITY, "region": REGION, "river": RIVER, "venue": VENUE,
                 "nat": NATIONALITY, "event": EVENT_FIXED}
        for name, text in lists.items():
            items = entries(text)
            rng.shuffle(items)
            cut = max(1, int(len(items) * held_out))
            self.unseen[name], self.seen[name] = items[:cut], items[cut:]
        # Affixes stay shared: what is new in test is the name, not the word 'Bank' or 'Open'.
        self.fixed = {"suffix": entries(COMPANY_SUFFIX), "club": entries(CLUB_SUFFIX), "evsuffix": entries(EVENT_SUFFIX)}


class Generator:
    def __init__(self, rng, pools, new_share):
        self.rng, self.pools, self.new_share = rng, pools, new_share

    def pick(self, pool, split):
        if pool in self.pools.fixed:
            return self.rng.choice(self.pools.fixed[pool])
        if split == "test" and self.rng.random() < self.new_share:
            return self.rng.choice(self.pools.unseen[pool])
        return self.rng.choice(self.pools.seen[pool])

    def person(self, split):
        r = self.rng.random()
        first, last = self.pick("first", split), self.pick("last", split)
        if r < 0.6:
            return first + last
        if r < 0.8:
            return last  # later mentions in news use the surname alone
        if r < 0.9:
            return first + [self.rng.choice("ABCDEFGHJKLMNPRSTW") + "."] + last
        return first + self.pick("first", split) + last

    def organisation(self, split):
        r = self.rng.random()
        if r < 0.45:
            return self.pick("org", split)
        if r < 0.9:
            return self.pick("stem", split) + self.pick("suffix", split)
        return self.pick("last", split) + self.pick("suffix", split)

    def club(self, split):
        city = self.pick("city", split)
        return (["FC"] + city) if self.rng.random() < 0.2 else city + self.pick("club", split)

    def event(self, split):
        if self.rng.random() < 0.5:
            return self.pick("event", split)
        return self.pick("nat", split) + self.pick("evsuffix", split)

    def location(self, split):
        return self.pick(self.rng.choice(["country", "city", "city", "region"]), split)

    def slot(self, name, split):
        """The tokens and entity type (None: not an entity) that fill {name}."""
        kind = name.rstrip("0123456789")
        rng = self.rng
        entity = {
            "PER": lambda: (self.person(split), "PER"),
            "ORG": lambda: (self.organisation(split), "ORG"),
            "MEDIA": lambda: (self.pick("media", split), "ORG"),
            "CLUB": lambda: (self.club(split), "ORG"),
            "TEAM": lambda: (self.pick("stem", split) + (["Team"] if rng.random() < 0.5 else []), "ORG"),
            "LOC": lambda: (self.location(split), "LOC"),
            "COUNTRY": lambda: (self.pick("country", split), "LOC"),
            "CITY": lambda: (self.pick("city", split), "LOC"),
            "RIVER": lambda: (self.pick("river", split), "LOC"),
            "VENUE": lambda: (self.pick("venue", split), "LOC"),
            "NAT": lambda: (self.pick("nat", split), "MISC"),
            "EVENT": lambda: (self.event(split), "MISC"),
        }
        if kind in entity:
            return entity[kind]()
        plain = {
            "DAY": lambda: [rng.choice(DAYS.split("|"))],
            "MONTH": lambda: [rng.choice(MONTHS.split("|"))],
            "YEAR": lambda: [str(rng.randint(1960, 1999))],
            "NUM": lambda: [str(rng.choice([2, 3, 5, 12, 40, 150, 600, 1200]) + rng.randint(0, 9))],
            "PCT": lambda: ["%d.%d" % (rng.randint(0, 9), rng.randint(0, 9))],
            "SCORE": lambda: ["%d-%d" % (rng.randint(1, 5), rng.randint(0, 4))],
            "GOALS": lambda: [str(rng.randint(0, 5))],
            "SETS": lambda: ["%d-%d %d-%d" % (6, rng.randint(0, 4), rng.choice([6, 7]), rng.randint(3, 6))],
            "AGE": lambda: [str(rng.randint(19, 38))],
            "YEARS": lambda: [str(rng.randint(2, 25))],
            "MINUTE": lambda: [str(rng.randint(20, 89)) + "th"],
            "TIME": lambda: ["%d:%02d:%02d" % (rng.randint(3, 6), rng.randint(0, 59), rng.randint(0, 59))],
            "DATE": lambda: ["%d-%02d-%02d" % (rng.randint(1990, 1999), rng.randint(1, 12), rng.randint(1, 28))],
        }
        return plain[kind]()[0].split(" "), None

    def sentence(self, template, split):
        tokens, tags = [], []
        for word in template.split(" "):
            if word.startswith("{") and word.endswith("}"):
                filled, label = self.slot(word[1:-1], split)
                tokens += filled
                tags += ["O"] * len(filled) if label is None else \
                    ["B-" + label] + ["I-" + label] * (len(filled) - 1)
            else:
                tokens.append(word)
                tags.append("O")
        return self.cased(tokens, template), tags

    def cased(self, tokens, template):
        # Mostly news casing; some all-lowercase (as in forum text) and all-caps (as CoNLL's headlines).
        if template.startswith(("SOCCER", "TENNIS")):
            return [t.upper() for t in tokens]
        r = self.rng.random()
        if r < 0.10:
            return [t.lower() for t in tokens]
        if r < 0.16:
            return [t.upper() for t in tokens]
        return tokens


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="/tmp/ner-data", help="output folder (default /tmp/ner-data)")
    parser.add_argument("--train", type=int, default=14000, help="train sentences (default 14000)")
    parser.add_argument("--test", type=int, default=2000, help="test sentences (default 2000)")
    parser.add_argument("--seed", type=int, default=13, help="random seed (default 13)")
    parser.add_argument("--held-out", type=float, default=0.25,
                        help="share of each name list and of the templates used by test only (default 0.25)")
    parser.add_argument("--new-share", type=float, default=0.5,
                        help="chance that a test name part / template is drawn from the held-out ones (default 0.5)")
    args = parser.parse_args()
    if args.train < 1 or args.test < 1 or not 0 < args.held_out < 1 or not 0 <= args.new_share <= 1:
        sys.exit("make_ner_conll.py: sizes must be positive, --held-out in (0, 1), --new-share in [0, 1]")

    rng = random.Random(args.seed)
    pools = Pools(rng, args.held_out)
    templates = list(TEMPLATES)
    rng.shuffle(templates)
    cut = max(1, int(len(templates) * args.held_out))
    new_templates, seen_templates = templates[:cut], templates[cut:]
    generator = Generator(rng, pools, args.new_share)

    splits = {}
    for split, size in (("train", args.train), ("test", args.test)):
        sentences = []
        for _ in range(size):
            new = split == "test" and rng.random() < args.new_share
            template = rng.choice(new_templates if new else seen_templates)
            sentences.append((template,) + generator.sentence(template, split))
        splits[split] = sentences

    os.makedirs(args.out, exist_ok=True)
    for split, sentences in splits.items():
        with open(os.path.join(args.out, split + ".conll"), "w", encoding="utf-8", newline="\n") as f:
            for _, tokens, tags in sentences:
                f.write("".join("%s %s\n" % pair for pair in zip(tokens, tags)) + "\n")
    stats = statistics(splits, seen_templates)
    with open(os.path.join(args.out, "stats.json"), "w", encoding="utf-8") as f:
        json.dump(stats, f, indent=2, sort_keys=True)
        f.write("\n")
    print(json.dumps(stats, indent=2, sort_keys=True))


def mentions(tokens, tags):
    """(type, lower-cased text) of each entity: lower-cased so a casing variant does not count as new."""
    found, current = [], None
    for token, tag in zip(tokens + ["."], tags + ["O"]):
        if tag.startswith("I-") and current:
            current[1].append(token)
            continue
        if current:
            found.append((current[0], " ".join(current[1]).lower()))
            current = None
        if tag.startswith("B-"):
            current = (tag[2:], [token])
    return found


def statistics(splits, seen_templates):
    seen = set(seen_templates)
    stats = {}
    train_mentions = {m for _, tokens, tags in splits["train"] for m in mentions(tokens, tags)}
    for split, sentences in splits.items():
        per_type = {}
        all_mentions = [m for _, tokens, tags in sentences for m in mentions(tokens, tags)]
        for entity_type, _ in all_mentions:
            per_type[entity_type] = per_type.get(entity_type, 0) + 1
        stats[split] = {
            "sentences": len(sentences),
            "tokens": sum(len(tokens) for _, tokens, _ in sentences),
            "entities": len(all_mentions),
            "entities_per_type": dict(sorted(per_type.items())),
            "sentences_without_entities": sum(1 for _, _, tags in sentences if set(tags) == {"O"}),
            "templates_used": len({t for t, _, _ in sentences}),
        }
    test = splits["test"]
    test_mentions = [m for _, tokens, tags in test for m in mentions(tokens, tags)]
    stats["overlap"] = {
        "test_entity_mentions_seen_in_train": round(
            sum(1 for m in test_mentions if m in train_mentions) / max(1, len(test_mentions)), 4),
        "test_sentences_from_train_templates": round(sum(1 for t, _, _ in test if t in seen) / max(1, len(test)), 4),
        "templates_total": len(TEMPLATES),
        "templates_test_only": len(TEMPLATES) - len(seen),
    }
    return stats


if __name__ == "__main__":
    main()
